import { DecisionEntity } from './decision.entity';
import { SchedulerInit1795414543983 } from './migrations/1795414543983-SchedulerInit';
import { ProfileProjectionEntity } from './profile-projection.entity';
import { TimerEntity } from './timer.entity';

export { SchedulerFeatureModule } from './scheduler.module';
export { TimerDispatcher } from './timer-dispatcher';
export type { DecisionView } from './dto/decision.dto';

export const SCHEDULER_ENTITIES = [TimerEntity, DecisionEntity, ProfileProjectionEntity];
export const SCHEDULER_MIGRATIONS = [SchedulerInit1795414543983];
