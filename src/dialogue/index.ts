export { decide, type Decision } from './decide';
export { MESSAGES } from './messages';
