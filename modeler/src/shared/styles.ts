/**
 * Style sheets loaded on demand with the chunk that needs them (form-js's, the token
 * simulation's): modeler/build.mjs names their hashed files in index.html as
 * `<meta name="motcua:style:<name>" content="/<name>-<hash>.css">`.
 */
const loading = new Map<string, Promise<void>>();

/** Adds the style sheet `name` to the page once; resolves when it has loaded. */
export function loadStyle(name: string): Promise<void> {
  let done = loading.get(name);
  if (!done) {
    const href = document.querySelector<HTMLMetaElement>(`meta[name="motcua:style:${name}"]`)?.content;
    done = href
      ? new Promise<void>((resolve, reject) => {
          const link = document.createElement('link');
          link.rel = 'stylesheet';
          link.href = href;
          link.onload = () => resolve();
          link.onerror = () => reject(new Error(`style sheet ${href} did not load`));
          document.head.append(link);
        })
      : Promise.resolve();
    loading.set(name, done);
  }
  return done;
}
