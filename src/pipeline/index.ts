/** The pair-making pipeline over real videos and real responders (OpenAI-compatible servers, the built-in model). */
export {
  CATEGORY_FOCUS, DEFAULT_PROMPTS, JudgeReplyError, QueryReplyError, judgePrompt, parseJudgeReply, parseQueryReply, queryPrompt, withPromptsVersion,
  type JudgeCandidate, type JudgeVerdict, type PipelinePrompts, type WrittenQueries,
} from './prompts';
export { jobKey, planJobs, type PipelineJob, type PipelineVideo } from './jobs';
export { JobQueue, type QueueOptions, type QueueProgress } from './queue';
export { jobSpec, runJob, type JobContext, type JobResult, type QuerySource, type ViewFrames } from './runJob';
