// Routes for the monitoring tests: one that takes a known time, one that fails with a 500.
export default {
  routes: [
    {
      method: 'GET',
      path: '/probe/slow',
      handler: 'probe.slow',
      config: { auth: false, policies: [] },
    },
    {
      method: 'GET',
      path: '/probe/fail',
      handler: 'probe.fail',
      config: { auth: false, policies: [] },
    },
  ],
};
