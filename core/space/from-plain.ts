// Entry point named in issue 9 / issue 13: `spaceFromPlain(plain, path = "space"): Space`.
export { spaceFromPlain, spaceToPlain, OptionProblemsError, type FieldProblem } from "./plain/index.ts";
