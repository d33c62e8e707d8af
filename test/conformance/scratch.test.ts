import { readFileSync } from 'fs';
import { resolve } from 'path';
import { loadProcessModels } from '../../engine/src/model';

it('prints', async () => {
  const r = await loadProcessModels(readFileSync(resolve(__dirname, '../fixtures/model/', process.env.FIX ?? 'happy-path.bpmn'), 'utf8'));
  require('fs').writeFileSync('/tmp/out.json', JSON.stringify(r, null, 1));
});
