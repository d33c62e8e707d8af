/**
 * Expressions: FEEL (text starting with '=') and static literals, evaluated to JSON.
 *
 * The only part of the code base that knows feelin (evaluated under a budget: ./guard.ts);
 * everything else goes through these functions.
 */
export { ExpressionBudgetError, ExpressionError, type ExpressionFailure } from './convert';
export {
  checkExpression,
  DEFAULT_EXPRESSION_LIMITS,
  evaluate,
  evaluateCondition,
  evaluateString,
  evaluateStringList,
  expressionNames,
  expressionLimits,
  isFeel,
  unknownFunctions,
  setExpressionLimits,
  type ExpressionLimits,
} from './feel';
export { usesWorkingTime, workingTimeFunctions, WORKING_TIME_FUNCTIONS } from './working-time-functions';
export { withEvaluationClock } from './clock';
