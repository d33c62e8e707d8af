/**
 * Expressions: FEEL (text starting with '=') and static literals, evaluated to JSON.
 *
 * The only part of the code base that knows feelin; everything else goes through these functions.
 */
export { ExpressionError } from './convert';
export { checkExpression, evaluate, evaluateCondition, evaluateString, evaluateStringList, isFeel } from './feel';
export { usesWorkingTime, workingTimeFunctions, WORKING_TIME_FUNCTIONS } from './working-time-functions';
