export { decide, type Decision, type DecisionRule } from './decide';
export { MESSAGES } from './messages';
