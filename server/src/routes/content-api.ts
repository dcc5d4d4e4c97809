/** Public tracking routes (no auth; validated and rate-limited). Added with the collection pipeline. */
export default {
  type: 'content-api',
  routes: [],
};
