/** Field tables of k8s.io/api batch/v1 Job and CronJob, as `kubectl create job|cronjob` sends them. */
import { ObjectReference, PodTemplateSpec } from './core.ts';
import { LabelSelector, ObjectMeta, specStatusKind } from './meta.ts';
import { message } from './schema.ts';

// The pod failure and success policies print their required fields, and some unset pointers as null:
// their Go JSON tags have no omitempty.
const PodFailurePolicyRule = message('PodFailurePolicyRule', [
  [1, 'action', 'string', 'keep'],
  [2, 'onExitCodes', message('PodFailurePolicyOnExitCodesRequirement', [
    [1, 'containerName', 'string', 'ptr', 'keep'],
    [2, 'operator', 'string', 'keep'],
    [3, 'values', 'int32', 'list', 'keep'],
  ]), 'ptr', 'keep'],
  [3, 'onPodConditions', message('PodFailurePolicyOnPodConditionsPattern', [
    [1, 'type', 'string', 'keep'],
    [2, 'status', 'string', 'keep'],
  ]), 'list', 'keep'],
]);

const SuccessPolicyRule = message('SuccessPolicyRule', [
  [1, 'succeededIndexes', 'string', 'ptr'],
  [2, 'succeededCount', 'int32', 'ptr'],
]);

const JobSpec = message('JobSpec', [
  [1, 'parallelism', 'int32', 'ptr'],
  [2, 'completions', 'int32', 'ptr'],
  [3, 'activeDeadlineSeconds', 'int64', 'ptr'],
  [11, 'podFailurePolicy', message('PodFailurePolicy', [[1, 'rules', PodFailurePolicyRule, 'list', 'keep']])],
  [16, 'successPolicy', message('SuccessPolicy', [[1, 'rules', SuccessPolicyRule, 'list', 'keep']])],
  [7, 'backoffLimit', 'int32', 'ptr'],
  [12, 'backoffLimitPerIndex', 'int32', 'ptr'],
  [13, 'maxFailedIndexes', 'int32', 'ptr'],
  [4, 'selector', LabelSelector],
  [5, 'manualSelector', 'bool', 'ptr'],
  [6, 'template', PodTemplateSpec, 'keep'],
  [8, 'ttlSecondsAfterFinished', 'int32', 'ptr'],
  [9, 'completionMode', 'string', 'ptr'],
  [10, 'suspend', 'bool', 'ptr'],
  [14, 'podReplacementPolicy', 'string', 'ptr'],
  [15, 'managedBy', 'string', 'ptr'],
]);

const JobCondition = message('JobCondition', [
  [1, 'type', 'string', 'keep'],
  [2, 'status', 'string', 'keep'],
  [3, 'lastProbeTime', 'Time', 'keep'],
  [4, 'lastTransitionTime', 'Time', 'keep'],
  [5, 'reason', 'string'],
  [6, 'message', 'string'],
]);

const JobStatus = message('JobStatus', [
  [1, 'conditions', JobCondition, 'list'],
  [2, 'startTime', 'Time'],
  [3, 'completionTime', 'Time'],
  [4, 'active', 'int32'],
  [5, 'succeeded', 'int32'],
  [6, 'failed', 'int32'],
  [11, 'terminating', 'int32', 'ptr'],
  [7, 'completedIndexes', 'string'],
  [10, 'failedIndexes', 'string', 'ptr'],
  [8, 'uncountedTerminatedPods', message('UncountedTerminatedPods', [
    [1, 'succeeded', 'string', 'list'],
    [2, 'failed', 'string', 'list'],
  ])],
  [9, 'ready', 'int32', 'ptr'],
]);

export const Job = specStatusKind('Job', JobSpec, JobStatus);

const CronJobSpec = message('CronJobSpec', [
  [1, 'schedule', 'string', 'keep'],
  [8, 'timeZone', 'string', 'ptr'],
  [2, 'startingDeadlineSeconds', 'int64', 'ptr'],
  [3, 'concurrencyPolicy', 'string'],
  [4, 'suspend', 'bool', 'ptr'],
  [5, 'jobTemplate', message('JobTemplateSpec', [[1, 'metadata', ObjectMeta], [2, 'spec', JobSpec]]), 'keep'],
  [6, 'successfulJobsHistoryLimit', 'int32', 'ptr'],
  [7, 'failedJobsHistoryLimit', 'int32', 'ptr'],
]);

const CronJobStatus = message('CronJobStatus', [
  [1, 'active', ObjectReference, 'list'],
  [4, 'lastScheduleTime', 'Time'],
  [5, 'lastSuccessfulTime', 'Time'],
]);

export const CronJob = specStatusKind('CronJob', CronJobSpec, CronJobStatus);
