// The file form of the search-space DSL (experiment files, `--space space.yaml`).
export { spaceFromPlain } from "./from-plain.ts";
export { spaceToPlain } from "./to-plain.ts";
export { domainNames } from "./domain-forms.ts";
export { OptionProblemsError, formatProblem, didYouMean, closestName, showValue, type FieldProblem } from "./problems.ts";
