/**
 * The bpmn-js Modeler of the apps: Zeebe (Camunda 8) moddle, behaviors and
 * properties panel, our `motcua:` descriptor (the one the engine reads), the
 * "Một cửa" properties group, live bpmnlint and the deployment problems overlay. The token
 * simulation is not in it: the token walk draws it over the canvas from a chunk of its own
 * (src/apps/modeler/token-simulation.ts), loaded on the first walk.
 */
import BpmnModeler from 'bpmn-js/lib/Modeler';
import { BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, ZeebePropertiesProviderModule } from 'bpmn-js-properties-panel';
import lintModule from 'bpmn-js-bpmnlint';
import ZeebeBehaviorsModule from 'camunda-bpmn-js-behaviors/lib/camunda-cloud';
import zeebeModdle from 'zeebe-bpmn-moddle/resources/zeebe.json';
import { MOTCUA_MODDLE_DESCRIPTOR as motcuaModdle } from '../../../engine/src/pure';
import deployProblemsModule from './deploy-problems';
import formEntryModule from './forms';
import { bpmnlint } from './motcua-lint';
import motcuaPropertiesModule from './motcua-properties';
import translateModule from './translate';

/** Where the modeler draws and where its properties panel goes. */
export interface ModelerOptions {
  container: HTMLElement;
  propertiesParent: HTMLElement;
}

/** A new modeler (call `destroy()` when the page goes). */
export function createModeler(options: ModelerOptions): any {
  return new BpmnModeler({
    container: options.container,
    propertiesPanel: { parent: options.propertiesParent },
    linting: { bpmnlint, active: true },
    additionalModules: [BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, ZeebePropertiesProviderModule, ZeebeBehaviorsModule, motcuaPropertiesModule, formEntryModule, lintModule, deployProblemsModule, translateModule],
    moddleExtensions: { zeebe: zeebeModdle, motcua: motcuaModdle },
  } as any);
}
