// Placeholder until this family's templates land.
import type { Family } from '../runtimes.ts';

export const dotnet: Family = { runtimes: [], retired: [] };
