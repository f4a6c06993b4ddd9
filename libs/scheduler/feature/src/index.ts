import { DecisionEntity } from './decision.entity';
import { FiringEntity } from './firing.entity';
import { SchedulerInit1795414543983 } from './migrations/1795414543983-SchedulerInit';
import { TriggersAndGuards1795500000000 } from './migrations/1795500000000-TriggersAndGuards';
import { ProfileActivityEntity } from './profile-activity.entity';
import { ProfileProjectionEntity } from './profile-projection.entity';
import { TimerEntity } from './timer.entity';
import { TriggerDefinitionEntity } from './trigger-definition.entity';

export { SchedulerFeatureModule } from './scheduler.module';
export { TimerDispatcher } from './timer-dispatcher';
export type { DecisionView } from './dto/decision.dto';
export type { TriggerDefinitionView } from './dto/trigger-definition.dto';

export const SCHEDULER_ENTITIES = [
  TimerEntity,
  DecisionEntity,
  ProfileProjectionEntity,
  TriggerDefinitionEntity,
  FiringEntity,
  ProfileActivityEntity,
];
export const SCHEDULER_MIGRATIONS = [SchedulerInit1795414543983, TriggersAndGuards1795500000000];
