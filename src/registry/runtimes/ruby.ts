// Placeholder until this family's templates land.
import type { Family } from '../runtimes.ts';

export const ruby: Family = { runtimes: [], retired: [] };
