/** kubectl describe for podlab: the describers, and the quantity and tabwriter helpers they use. */
export { describe, describeAll, describeObject, canDescribe } from './describe.ts';
export { Quantity, resourceList } from './quantity.ts';
export { formatEndpointSlices } from './service.ts';
export { podQOS, describeProbe } from './pod.ts';
