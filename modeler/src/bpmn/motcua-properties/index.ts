/** didi module: the "Một cửa" properties group (needs the properties panel modules). */
import MotcuaPropertiesProvider from './motcua-properties-provider';

export default {
  __init__: ['motcuaPropertiesProvider'],
  motcuaPropertiesProvider: ['type', MotcuaPropertiesProvider],
};
