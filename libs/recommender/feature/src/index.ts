export {
  RecommenderFeatureModule,
  RECOMMENDER_ENTITIES,
  RECOMMENDER_MIGRATIONS,
} from './recommender.module';
export { RecommenderJobsModule } from './recommender-jobs.module';
export { RECOMMENDER_SETTINGS, loadRecommenderSettings } from './recommender.config';
export type { RecommenderSettings } from './recommender.config';
export { TrainModelsUseCase } from './train-models.use-case';
export type { TrainingProgress, TrainOptions } from './train-models.use-case';
export { EvaluateModelsUseCase } from './evaluate-models.use-case';
export type { EvaluateOptions, EvaluationReport } from './evaluate-models.use-case';
export type { ModelRun } from './model-run.repository';
export { renderProgressLine } from './progress-line';
