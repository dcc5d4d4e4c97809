// The test app's admin panel customisation. The release check calls api.github.com, which the
// tests' machines cannot reach; the failed request would be a console error in every e2e run.
export default {
  config: {
    notifications: { releases: false },
  },
  bootstrap() {},
};
