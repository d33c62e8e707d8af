/** didi module: `deployProblems`, deployment problems shown on their elements. */
import DeployProblems from './deploy-problems';

export default {
  __init__: ['deployProblems'],
  deployProblems: ['type', DeployProblems],
};
