// The first-party browser tracker served at GET /api/usage-analytics/script.js.
// Source of truth; `npm run build:tracker` minifies it into tracker-bundle.ts (committed, checked
// by a unit test). No cookies, no storage, no fingerprinting: the server derives an anonymous,
// daily-rotating visitor hash and forgets the IP.
(function () {
  var doc = document;
  var script = doc.currentScript;
  if (!script) return;
  var endpoint =
    script.getAttribute('data-api') || script.src.replace(/\/script\.js(\?.*)?$/, '/track');

  // The script tag describes the page it was loaded on; meta tags (which a single-page app
  // updates on navigation) describe the current page and win.
  var scriptPath = location.pathname;

  function setting(name) {
    var meta = doc.querySelector('meta[name="usage-analytics:' + name + '"]');
    if (meta) return meta.getAttribute('content') || undefined;
    return (location.pathname === scriptPath && script.getAttribute('data-' + name)) || undefined;
  }

  function post(body) {
    var text = JSON.stringify(body);
    try {
      fetch(endpoint, {
        method: 'POST',
        body: text,
        keepalive: true,
        credentials: 'omit',
        headers: { 'Content-Type': 'text/plain' },
      }).catch(function () {});
    } catch {
      if (navigator.sendBeacon) navigator.sendBeacon(endpoint, text);
    }
  }

  // The page being read: its URL, the entry it shows, and how long it has been engaged with.
  var page = null;
  var engagedMs = 0;
  var since = 0;
  var depth = 0;

  function active() {
    return doc.visibilityState === 'visible' && doc.hasFocus();
  }

  function tick() {
    if (since) engagedMs += Date.now() - since;
    since = active() ? Date.now() : 0;
  }

  function scrolled() {
    var el = doc.documentElement;
    var total = Math.max(el.scrollHeight, 1);
    var seen = Math.min(100, Math.round(((window.scrollY + window.innerHeight) / total) * 100));
    if (seen > depth) depth = seen;
  }

  function event(type, extra) {
    var body = { type: type, url: page.url, referrer: page.referrer };
    if (page.contentType && page.documentId) {
      body.contentType = page.contentType;
      body.documentId = page.documentId;
      if (page.locale) body.locale = page.locale;
    }
    for (var key in extra) body[key] = extra[key];
    post(body);
  }

  function flushEngagement() {
    if (!page) return;
    tick();
    if (engagedMs >= 1000) event('engagement', { engagedMs: engagedMs, scrollDepth: depth });
    engagedMs = 0;
  }

  function pageview() {
    var url = location.href;
    // Jumping to an #anchor on the same page is not a new page (the server keeps no #hash).
    if (page && page.url.split('#')[0] === url.split('#')[0]) return;
    var referrer = page ? page.url : doc.referrer || null;
    flushEngagement();
    page = {
      url: url,
      referrer: referrer,
      contentType: setting('content-type'),
      documentId: setting('document-id'),
      locale: setting('locale'),
    };
    depth = 0;
    scrolled();
    since = active() ? Date.now() : 0;
    event('pageview', {});
  }

  // Single-page apps: count history navigation as pageviews.
  var push = history.pushState;
  history.pushState = function () {
    push.apply(this, arguments);
    pageview();
  };
  window.addEventListener('popstate', pageview);
  window.addEventListener('scroll', scrolled, { passive: true });
  window.addEventListener('focus', tick);
  window.addEventListener('blur', tick);
  doc.addEventListener('visibilitychange', function () {
    if (doc.visibilityState === 'hidden') flushEngagement();
    else tick();
  });
  window.addEventListener('pagehide', flushEngagement);

  // Custom events: usageAnalytics('signup', { plan: 'pro' }); calls queued before load run now.
  var queued = (window.usageAnalytics && window.usageAnalytics.q) || [];
  window.usageAnalytics = function (name, props) {
    if (page) event('event', props ? { name: name, props: props } : { name: name });
  };
  pageview();
  for (var i = 0; i < queued.length; i++) window.usageAnalytics.apply(null, queued[i]);
})();
