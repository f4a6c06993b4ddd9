export {
  SegmentationFeatureModule,
  SEGMENTATION_ENTITIES,
  SEGMENTATION_MIGRATIONS,
} from './segmentation.module';
