export {
  RecommenderFeatureModule,
  RECOMMENDER_ENTITIES,
  RECOMMENDER_MIGRATIONS,
} from './recommender.module';
