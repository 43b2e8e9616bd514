/**
 * The search-space toolkit: which parameters are active, canonical point keys, rounding and
 * finalization, linear constraints, random points, grid enumeration and the initial design.
 * Pure (no I/O, randomness only through a seeded Rng). Test helpers live in test/support/kits/space-arbitraries.ts
 * and are deliberately not re-exported (they depend on fast-check).
 */
export { activeParameters, isParameterActive } from './active-parameters.ts';
export { assignmentKey } from './assignment-key.ts';
export { type ConstrainedSampler, createConstrainedSampler } from './constrained-sampler.ts';
export { gridPoint, gridSize } from './grid.ts';
export { type InitialDesignArgs, inDesignPhase, initialDesignPoints, initialDesignSize } from './initial-design.ts';
export { isFeasibleRegionNonEmpty, sampleConstrainedPoint, satisfiesLinearConstraints } from './linear-constraints.ts';
export { finalizeAssignments, roundToPrecision } from './precision.ts';
export { cheapestTask, randomPoint, randomTask } from './random-point.ts';
export { discreteSpaceSize } from './space-size.ts';
export { valueFromUnit } from './value-from-unit.ts';
