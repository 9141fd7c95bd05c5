/** The held-out benchmark of the synthetic world: accuracy per category and template, on preferred and breaking views. */
export { benchmarkItems, runBenchmark, SYNTH_CATEGORIES, type AnswerScorer, type BenchmarkItem, type BenchmarkResult, type TemplateResult } from './benchmark';
export { BREAKING_VIEW, breakingView, type BreakingView } from './views';
export { wilsonInterval } from './stats';
export { benchmarkTable, parseBenchmarkTable } from './report';
