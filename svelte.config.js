/** @type {import('@sveltejs/vite-plugin-svelte').SvelteConfig} */
export default {
  compilerOptions: {
    // Runes everywhere: the web app is written for Svelte 5 only.
    runes: true,
  },
};
