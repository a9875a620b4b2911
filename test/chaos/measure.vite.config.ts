// Lets `vite-node` run test/chaos/measure-storm.ts with the modules the extension imports
// through WXT (`#imports`), as the vitest projects do.
import { defineConfig } from 'vite';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

export default defineConfig({ plugins: [WxtVitest()] });
