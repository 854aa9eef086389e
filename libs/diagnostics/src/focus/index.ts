// Focus from the question: the terms that may name objects, how a term matches a name, and the
// objects (and their dependencies) a question or alert is about.
export { extractTerms, type FocusInput, type Term } from './terms';
export { matchName, type MatchHow, type NameMatch } from './match';
export { type Focus, type FocusMatch, resolveFocus } from './resolve';
