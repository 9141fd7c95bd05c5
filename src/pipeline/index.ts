/** The pair-making pipeline over real videos and real responders (OpenAI-compatible servers, the built-in model). */
export { DEFAULT_PROMPTS, JudgeReplyError, judgePrompt, parseJudgeReply, type JudgeCandidate, type JudgeVerdict, type PipelinePrompts } from './prompts';
export { jobKey, planJobs, type PipelineJob, type PipelineVideo } from './jobs';
export { JobQueue, type QueueOptions, type QueueProgress } from './queue';
export { jobSpec, runJob, type JobContext, type JobResult, type ViewFrames } from './runJob';
