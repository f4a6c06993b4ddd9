/** Nest token for the service's validated {@link KairosConfig}. */
export const KAIROS_CONFIG = Symbol('kairos.config');
