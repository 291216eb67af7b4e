// sahelmap viewer: Leaflet over the service's raster tiles, a date control
// that sets ?time= on every tile URL (by default the evidence cut-off of
// /data.json, with a banner for dates past it), a timeline of dated events, a
// legend of the default style, pop-ups with each feature's dates, confidence
// and sources (WMS GetFeatureInfo of this service), and the view kept in the
// URL hash.
/* global L */
(function () {
  'use strict';

  // ---------------------------------------------------------------- config
  var RANGE_START = '2016-01-01';
  var DEFAULT_VIEW = { lat: 16.5, lon: 4, zoom: 5 };
  var MIN_ZOOM = 2;
  var MAX_ZOOM = 11; // data are at town precision; deeper zooms add nothing
  var STYLES = ['default', 'print', 'influence'];
  var STYLE_NAMES = { default: 'Default', print: 'Print', influence: 'Influence' };
  var LEGEND_OPEN_MIN_WIDTH = 1000; // narrower screens start with the legend folded
  var FALLBACK_ATTRIBUTION = 'Borders: Natural Earth (public domain). Sites, corridors, events: ' +
    'sahelmap reference tables compiled from public reporting.';
  var DAY_MS = 86400000;

  // The default style's actor colours (styles/default.json), for the timeline's marks.
  var ACTOR_COLORS = {
    russia_africa_corps: '#d62728',
    wagner: '#7a0c0c',
    russia_redut: '#e6550d',
    syrian_auxiliaries: '#c27c0e',
    france: '#1f5fbf',
    united_states: '#138d9c',
    germany: '#3c4f9e',
    italy: '#2a9d8f'
  };
  // Timeline marks take the colour of their first actor that has one.
  var EVENT_COLORS = Object.assign({}, ACTOR_COLORS, {
    russia_state: '#b3261e',
    aes: '#7b2d26',
    ecowas: '#5d7a3a'
  });
  var ACTOR_NAMES = {
    russia_africa_corps: 'Africa Corps', wagner: 'Wagner', syrian_auxiliaries: 'Syrian auxiliaries',
    france: 'France', united_states: 'United States', local_forces: 'local forces',
    russia_state: 'Russian state', aes: 'AES', ecowas: 'ECOWAS', jnim: 'JNIM', is_sahel: 'IS Sahel',
    csp_rebels: 'CSP rebels', sadat_turkey: 'SADAT (Turkey)', russia_redut: 'Redut ("Bear" brigade)',
    germany: 'Germany', italy: 'Italy', turkey: 'Turkey', united_nations: 'United Nations', china: 'China',
    algeria: 'Algeria'
  };
  // The blocs of the reference tables ("Actors and blocs"): which sites a
  // region's dominant bloc is made of.
  var BLOC_OF = {
    russia_africa_corps: 'russia', wagner: 'russia', russia_redut: 'russia', russia_state: 'russia',
    syrian_auxiliaries: 'turkey', sadat_turkey: 'turkey', turkey: 'turkey',
    france: 'western', united_states: 'western', germany: 'western', italy: 'western'
  };
  var BLOC_NAMES = { russia: 'Russia', western: 'Western', turkey: 'Turkey' };
  var DOMINANT_NAMES = Object.assign({}, BLOC_NAMES, {
    contested: 'Contested (no bloc clearly ahead)', none: 'None (no bloc strong enough)'
  });

  // ------------------------------------------------------------- dates
  function pad(n) { return (n < 10 ? '0' : '') + n; }
  function todayIso() {
    var d = new Date();
    return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate());
  }
  function isoToDay(iso) { // days since 1970-01-01, calendar arithmetic in UTC
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
    if (!m) return NaN;
    var t = Date.UTC(+m[1], +m[2] - 1, +m[3]);
    var d = new Date(t);
    if (d.getUTCFullYear() !== +m[1] || d.getUTCMonth() !== +m[2] - 1 || d.getUTCDate() !== +m[3]) return NaN;
    return Math.round(t / DAY_MS);
  }
  function dayToIso(day) {
    var d = new Date(day * DAY_MS);
    return d.getUTCFullYear() + '-' + pad(d.getUTCMonth() + 1) + '-' + pad(d.getUTCDate());
  }
  var MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  function longDate(iso) {
    var d = new Date(isoToDay(iso) * DAY_MS);
    return d.getUTCDate() + ' ' + MONTHS[d.getUTCMonth()] + ' ' + d.getUTCFullYear();
  }

  var TODAY = todayIso();
  var START_DAY = isoToDay(RANGE_START);
  var END_DAY = Math.max(isoToDay(TODAY), START_DAY + 1);
  // The evidence cut-off (/data.json): the latest dated item of the record,
  // the date the map opens on. Null until known (or when the server has none).
  var evidenceUntil = null;
  function clampDate(iso) {
    var day = isoToDay(iso);
    if (isNaN(day)) return null;
    return dayToIso(Math.min(END_DAY, Math.max(START_DAY, day)));
  }

  // ------------------------------------------------------------- state
  var state = { zoom: DEFAULT_VIEW.zoom, lat: DEFAULT_VIEW.lat, lon: DEFAULT_VIEW.lon,
                date: TODAY, style: 'default', overlay: false, compare: null };
  var unknownStyle = null; // a style= in the URL that is not offered

  // #map=Z/LAT/LON&date=YYYY-MM-DD&style=ID&overlay=0|1[&compare=YYYY-MM-DD] ; the query string is
  // read as well (same keys), so /?date=2024-07-07 links work too.
  function parseParams(text) {
    var out = {};
    var params = new URLSearchParams(text.replace(/^[#?]/, ''));
    var view = (params.get('map') || '').split('/');
    if (view.length === 3) {
      var z = parseFloat(view[0]), la = parseFloat(view[1]), lo = parseFloat(view[2]);
      if (isFinite(z) && isFinite(la) && isFinite(lo) && Math.abs(la) <= 85.06 && Math.abs(lo) <= 540) {
        out.zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, Math.round(z)));
        out.lat = la;
        out.lon = lo;
      }
    }
    var date = params.get('date') || params.get('time');
    if (date && clampDate(date)) out.date = clampDate(date);
    var style = params.get('style');
    if (style && STYLES.indexOf(style) >= 0) out.style = style;
    else if (style) out.unknownStyle = style;
    var overlay = params.get('overlay');
    if (overlay !== null) out.overlay = overlay === '1' || overlay === 'true';
    var compare = params.get('compare');
    if (compare !== null) out.compare = clampDate(compare) || null;
    return out;
  }
  function readUrl() {
    return Object.assign({}, parseParams(window.location.search), parseParams(window.location.hash));
  }
  function hashFor(s) {
    var decimals = Math.max(2, Math.ceil(Math.log(Math.pow(2, s.zoom)) / Math.LN10));
    return '#map=' + s.zoom + '/' + s.lat.toFixed(decimals) + '/' + s.lon.toFixed(decimals) +
      '&date=' + s.date + '&style=' + s.style + '&overlay=' + (s.overlay ? 1 : 0) +
      (s.compare ? '&compare=' + s.compare : '');
  }
  function writeUrl() {
    var hash = hashFor(state);
    if (window.location.hash !== hash) {
      history.replaceState(null, '', window.location.pathname + window.location.search + hash);
    }
  }
  var fromUrl = readUrl();
  var dateFromUrl = !!fromUrl.date;
  if (fromUrl.unknownStyle) { unknownStyle = fromUrl.unknownStyle; delete fromUrl.unknownStyle; }
  Object.assign(state, fromUrl);

  // ------------------------------------------------------------- elements
  var $ = function (id) { return document.getElementById(id); };
  var styleSelect = $('style'), overlayBox = $('overlay'), dateInput = $('date');
  var prevButton = $('prev-event'), nextButton = $('next-event'), latestButton = $('latest');
  var banner = $('evidence-banner'), styleNotice = $('style-notice');
  var slider = $('slider'), marksBox = $('marks'), yearsBox = $('years'), caption = $('caption');
  var tip = $('tip'), track = $('track');
  var compareInput = $('compare'), compareClear = $('compare-clear'), compareNotice = $('compare-notice');

  // ------------------------------------------------------------- map
  var map = L.map('map', {
    center: [state.lat, state.lon],
    zoom: state.zoom,
    minZoom: MIN_ZOOM,
    maxZoom: MAX_ZOOM,
    zoomSnap: 1,
    worldCopyJump: true
  });
  // The map's box changes without a window resize (the timeline's caption
  // wraps once the events arrive, a notice appears): Leaflet must know, or
  // its centre drifts from the box's and clicks land off their features.
  if (window.ResizeObserver) {
    var boxSize = function () { var box = map.getContainer(); return box.clientWidth + 'x' + box.clientHeight; };
    var knownSize = boxSize(); // what Leaflet measured when the map was made
    new ResizeObserver(function () {
      var size = boxSize();
      if (size === knownSize) return;
      knownSize = size;
      // Keep the centre the view had (state follows each moveend), exactly:
      // Leaflet's own pan rounds to whole pixels.
      var centre = L.latLng(state.lat, state.lon);
      map.invalidateSize({ pan: false });
      map.setView(centre, map.getZoom(), { animate: false, reset: true });
    }).observe(map.getContainer());
  }
  map.attributionControl.setPrefix('<a href="https://leafletjs.com" title="A JavaScript library for interactive maps">Leaflet</a>');

  // {r} becomes "@2x" on high-DPI screens: 512 px tiles drawn in 256 px.
  function tileUrl(style) {
    return '/tiles/' + encodeURIComponent(style) + '/{z}/{x}/{y}{r}.png?time=' + state.date;
  }

  // A tile layer that swaps to a new URL without blanking: the new layer is
  // loaded on top and the old one removed when the new one has its tiles.
  function SwapLayer(zIndex, className) {
    this.zIndex = zIndex;
    this.className = className;
    this.current = null;
    this.pending = null;
    this.url = null;
  }
  SwapLayer.prototype.make = function (url) {
    var layer = L.tileLayer(url, {
      tileSize: 256, minZoom: MIN_ZOOM, maxZoom: MAX_ZOOM, zIndex: this.zIndex,
      className: this.className, keepBuffer: 1, updateWhenZooming: false
    });
    layer.on('loading', tilesChanged);
    layer.on('load', tilesChanged);
    layer.on('tileerror', function (e) { tileErrors += 1; tilesChanged(e); });
    return layer;
  };
  SwapLayer.prototype.show = function (url) {
    if (url === this.url && (this.current || this.pending)) return;
    this.url = url;
    var self = this;
    if (this.pending) { map.removeLayer(this.pending); this.pending = null; }
    if (!this.current) {
      this.current = this.make(url).addTo(map);
      tilesChanged();
      return;
    }
    var next = this.make(url);
    this.pending = next;
    next.once('load', function () {
      if (self.pending !== next) return;
      map.removeLayer(self.current);
      self.current = next;
      self.pending = null;
      tilesChanged();
    });
    next.addTo(map);
    tilesChanged();
  };
  SwapLayer.prototype.hide = function () {
    if (this.pending) map.removeLayer(this.pending);
    if (this.current) map.removeLayer(this.current);
    this.current = this.pending = this.url = null;
    tilesChanged();
  };
  SwapLayer.prototype.busy = function () {
    return !!this.pending || !!(this.current && this.current.isLoading());
  };

  var tileErrors = 0;
  var base = new SwapLayer(1, 'tiles-base');
  var overlay = new SwapLayer(2, 'tiles-overlay');

  // data-tiles on <body> says whether every visible tile has arrived: the
  // browser test waits on it, and the stylesheet shows a small spinner.
  function tilesChanged() {
    var busy = base.busy() || overlay.busy();
    document.body.setAttribute('data-tiles', busy ? 'loading' : 'ready');
  }

  // A change map between the map date and the compare date (either order),
  // drawn by the server's change style: regions whose dominant bloc
  // changed, sites opened and closed.
  function comparing() { return !!state.compare && state.compare !== state.date; }
  function changeUrl() {
    return '/tiles/change/{z}/{x}/{y}{r}.png?time=' + state.date + '&compare=' + state.compare;
  }
  function applyLayers() {
    var change = comparing();
    base.show(change ? changeUrl() : tileUrl(state.style));
    if (state.overlay && !change) overlay.show(tileUrl('overlay'));
    else overlay.hide();
    document.body.setAttribute('data-compare', change ? state.compare : '');
    updateLegend();
    updateCompareNotice();
  }
  function updateCompareNotice() {
    var change = comparing();
    compareNotice.hidden = !change;
    compareClear.hidden = !state.compare;
    if (compareInput.value !== (state.compare || '')) compareInput.value = state.compare || '';
    if (!change) return;
    var from = state.compare < state.date ? state.compare : state.date;
    var to = state.compare < state.date ? state.date : state.compare;
    compareNotice.textContent = 'What changed from ' + longDate(from) + ' to ' + longDate(to) +
      ': regions are coloured where the dominant bloc changed; sites opened and closed in between are marked ' +
      '(see the legend).';
  }

  // Attribution comes from the style's TileJSON.
  var attributionShown = null;
  var attributionCache = {};
  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
  // The style's attribution names every source and how the map draws
  // certainty: a paragraph, folded behind one line so it does not stand
  // four lines tall over the map.
  function setAttribution(text) {
    var html = '<details class="attribution-notes"><summary>Sources and notes</summary><span>' +
      escapeHtml(text) + '</span></details>';
    if (attributionShown === html) return;
    if (attributionShown) map.attributionControl.removeAttribution(attributionShown);
    map.attributionControl.addAttribution(html);
    attributionShown = html;
  }
  function loadAttribution(style) {
    if (attributionCache[style]) { setAttribution(attributionCache[style]); return; }
    fetch('/tiles/' + encodeURIComponent(style) + '.json')
      .then(function (res) { if (!res.ok) throw new Error('HTTP ' + res.status); return res.json(); })
      .then(function (tj) {
        attributionCache[style] = (tj && typeof tj.attribution === 'string' && tj.attribution) || FALLBACK_ATTRIBUTION;
        if (state.style === style) setAttribution(attributionCache[style]);
      })
      .catch(function () { if (state.style === style) setAttribution(FALLBACK_ATTRIBUTION); });
  }

  // ------------------------------------------------------------- legend
  // The legend is the style's own, drawn by the server from the style's
  // layers as the print margin draws it (/legend/{style}.png): it cannot
  // disagree with the tiles. A change map has its own.
  function legendUrl(style, scale) {
    return '/legend/' + encodeURIComponent(style) + '.png' + (scale === 2 ? '?scale=2' : '');
  }
  function legendStyles() {
    if (comparing()) return ['change'];
    // The overlay's sites and corridors are in the default and print legends already.
    return state.overlay && state.style === 'influence' ? [state.style, 'overlay'] : [state.style];
  }
  function legendName(style) {
    return style === 'change' ? 'change map' : (STYLE_NAMES[style] || style) + ' map';
  }
  function updateLegend() {
    var body = $('legend-body');
    if (!body) return;
    var styles = legendStyles();
    if (body.getAttribute('data-styles') === styles.join(',')) return;
    body.setAttribute('data-styles', styles.join(','));
    body.innerHTML = styles.map(function (style) {
      return '<img class="legend-image" data-style="' + escapeHtml(style) + '" src="' + legendUrl(style, 1) +
        '" srcset="' + legendUrl(style, 2) + ' 2x" alt="Legend of the ' + escapeHtml(legendName(style)) + '">';
    }).join('');
  }
  var Legend = L.Control.extend({
    options: { position: 'bottomright' },
    onAdd: function () {
      var div = L.DomUtil.create('div', 'leaflet-control legend');
      div.innerHTML = '<details class="legend-box" id="legend"' +
        (window.innerWidth >= LEGEND_OPEN_MIN_WIDTH ? ' open' : '') +
        '><summary>Legend</summary><div class="legend-body" id="legend-body"></div></details>';
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    }
  });
  new Legend().addTo(map);
  // The legend sits in the bottom-right quarter of the map: at most half the
  // map's width and height, so it never covers the centre (where a keyboard
  // user's Enter asks what is there); it scrolls inside when taller.
  function fitLegend() {
    var box = $('legend');
    if (!box) return;
    var size = map.getSize();
    // The corner's margins (10 px, and the attribution under it) leave the
    // box short of the middle lines.
    box.style.maxWidth = Math.max(160, Math.floor(size.x / 2) - 20) + 'px';
    box.style.maxHeight = Math.max(60, Math.floor(size.y / 2) - 40) + 'px';
  }
  fitLegend();
  map.on('resize', fitLegend);

  // ------------------------------------------------------------- timeline
  var events = [];
  var eventsState = 'loading'; // loading | ready | unavailable
  var markButtons = [];
  var focusIndex = 0;

  function dayFraction(iso) { return (isoToDay(iso) - START_DAY) / (END_DAY - START_DAY); }

  function buildYears() {
    yearsBox.textContent = '';
    var first = +RANGE_START.slice(0, 4), last = +TODAY.slice(0, 4);
    for (var y = first; y <= last; y++) {
      var f = dayFraction(y + '-01-01');
      if (f < 0 || f > 1) continue;
      var tick = document.createElement('span');
      tick.className = 'year';
      tick.style.left = (f * 100) + '%';
      tick.textContent = String(y);
      yearsBox.appendChild(tick);
    }
  }

  function actorColor(actors) {
    for (var i = 0; i < actors.length; i++) if (EVENT_COLORS[actors[i]]) return EVENT_COLORS[actors[i]];
    return '#7d7468';
  }
  function actorList(actors) {
    return actors.map(function (a) { return ACTOR_NAMES[a] || a.replace(/_/g, ' '); }).join(', ');
  }

  function buildMarks() {
    marksBox.textContent = '';
    markButtons = [];
    // Marks closer than ~14 px are stacked in rows so each stays clickable.
    var width = Math.max(200, marksBox.clientWidth || 800);
    var minGap = 14 / width;
    var rowEnds = [-1, -1, -1];
    events.forEach(function (ev, i) {
      var f = dayFraction(ev.date);
      if (f < 0 || f > 1) return;
      var row = 0;
      while (row < rowEnds.length && f - rowEnds[row] < minGap) row++;
      if (row === rowEnds.length) row = 0;
      rowEnds[row] = f;
      var b = document.createElement('button');
      b.type = 'button';
      b.className = 'mark';
      b.style.left = (f * 100) + '%';
      b.style.setProperty('--row', row);
      b.style.setProperty('--c', actorColor(ev.actors));
      b.setAttribute('tabindex', '-1');
      b.setAttribute('aria-label', longDate(ev.date) + ': ' + ev.event);
      b.dataset.index = String(i);
      b.dataset.date = ev.date;
      markButtons.push(b);
      marksBox.appendChild(b);
    });
    updateMarks();
  }

  function eventIndexAtOrBefore(iso) {
    var found = -1;
    for (var i = 0; i < events.length; i++) if (events[i].date <= iso) found = i;
    return found;
  }

  function updateMarks() {
    var current = eventIndexAtOrBefore(state.date);
    markButtons.forEach(function (b) {
      var i = +b.dataset.index;
      b.classList.toggle('past', events[i].date <= state.date);
      b.classList.toggle('current', i === current);
    });
    // Roving tab stop: the current event (or the first) is the one Tab reaches.
    var pos = 0;
    markButtons.forEach(function (b, k) { if (+b.dataset.index === current) pos = k; });
    setFocusIndex(pos, false);
  }

  function setFocusIndex(k, focus) {
    if (!markButtons.length) return;
    focusIndex = Math.max(0, Math.min(markButtons.length - 1, k));
    markButtons.forEach(function (b, j) { b.setAttribute('tabindex', j === focusIndex ? '0' : '-1'); });
    if (focus) markButtons[focusIndex].focus();
  }

  function linkifySources(container, source) {
    // "URL (outlet, date); URL2 (...)": each URL becomes a link named by its
    // outlet in parentheses, or by its host.
    var parts = String(source || '').split(/;\s+/);
    var first = true;
    parts.forEach(function (part) {
      var m = /(https?:\/\/[^\s)]+)\s*(?:\(([^)]*)\))?/.exec(part);
      if (!m) return;
      if (!first) container.appendChild(document.createTextNode(' · '));
      first = false;
      var a = document.createElement('a');
      a.href = m[1];
      a.rel = 'noopener noreferrer';
      a.target = '_blank';
      var host = m[1].replace(/^https?:\/\/(www\.)?/, '').split('/')[0];
      a.textContent = m[2] ? m[2] : host;
      a.title = m[1];
      container.appendChild(a);
    });
  }

  function updateCaption() {
    caption.textContent = '';
    if (eventsState === 'loading') { caption.textContent = 'Loading events…'; return; }
    if (!events.length) {
      caption.innerHTML = '<span class="muted">No dated events are available from this server; the map still follows the date.</span>';
      return;
    }
    var i = eventIndexAtOrBefore(state.date);
    if (i < 0) {
      var lead = document.createElement('span');
      lead.className = 'muted';
      lead.textContent = 'No event before ' + longDate(state.date) + '. First event: ' + longDate(events[0].date) + '.';
      caption.appendChild(lead);
      return;
    }
    var ev = events[i];
    var when = document.createElement('button');
    when.type = 'button';
    when.className = 'when';
    when.textContent = longDate(ev.date);
    when.title = 'Go to ' + ev.date;
    when.addEventListener('click', function () { setDate(ev.date); });
    var label = document.createElement('span');
    label.className = 'label';
    label.textContent = ev.date === state.date ? 'Event' : 'Latest event';
    var text = document.createElement('span');
    text.className = 'text';
    text.textContent = ev.event;
    caption.appendChild(label);
    caption.appendChild(when);
    caption.appendChild(text);
    if (ev.source) {
      var src = document.createElement('span');
      src.className = 'sources';
      src.appendChild(document.createTextNode('Source: '));
      linkifySources(src, ev.source);
      if (src.childNodes.length > 1) caption.appendChild(src);
    }
  }

  function showTip(b) {
    var ev = events[+b.dataset.index];
    tip.textContent = '';
    var d = document.createElement('strong');
    d.textContent = longDate(ev.date);
    var t = document.createElement('span');
    t.textContent = ev.event;
    tip.appendChild(d);
    tip.appendChild(t);
    if (ev.actors.length) {
      var a = document.createElement('small');
      a.textContent = actorList(ev.actors) + (ev.countries.length ? ' · ' + ev.countries.join(', ') : '');
      tip.appendChild(a);
    }
    tip.hidden = false;
    var box = tip.parentNode.getBoundingClientRect();
    var mb = b.getBoundingClientRect();
    var w = tip.offsetWidth;
    var x = mb.left + mb.width / 2 - box.left - w / 2;
    x = Math.max(8, Math.min(box.width - w - 8, x));
    tip.style.left = x + 'px';
    tip.style.bottom = (box.bottom - mb.top + 8) + 'px';
  }
  function hideTip() { tip.hidden = true; }

  marksBox.addEventListener('mouseover', function (e) {
    var b = e.target.closest && e.target.closest('.mark');
    if (b) showTip(b);
  });
  marksBox.addEventListener('mouseleave', hideTip);
  marksBox.addEventListener('focusin', function (e) {
    if (e.target.classList.contains('mark')) showTip(e.target);
  });
  marksBox.addEventListener('focusout', hideTip);
  marksBox.addEventListener('click', function (e) {
    var b = e.target.closest && e.target.closest('.mark');
    if (!b) return;
    setFocusIndex(markButtons.indexOf(b), false);
    setDate(b.dataset.date);
    showTip(b);
  });
  marksBox.addEventListener('keydown', function (e) {
    var k = markButtons.indexOf(document.activeElement);
    if (k < 0) return;
    var next = null;
    if (e.key === 'ArrowRight' || e.key === 'ArrowDown') next = k + 1;
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') next = k - 1;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = markButtons.length - 1;
    else if (e.key === 'Escape') { hideTip(); return; }
    if (next === null) return;
    e.preventDefault();
    setFocusIndex(next, true);
  });

  function validEvent(ev) {
    return ev && typeof ev.date === 'string' && !isNaN(isoToDay(ev.date)) && typeof ev.event === 'string';
  }
  function splitList(v) {
    if (Array.isArray(v)) return v.map(String);
    return String(v || '').split(';').map(function (s) { return s.trim(); }).filter(Boolean);
  }
  function loadEvents() {
    // Until the server has /events.json (404), the timeline stays empty.
    return fetch('/events.json', { headers: { Accept: 'application/json' } })
      .then(function (res) {
        if (res.status === 404) return [];
        if (!res.ok) throw new Error('HTTP ' + res.status);
        return res.json();
      })
      .then(function (list) {
        events = (Array.isArray(list) ? list : []).filter(validEvent).map(function (ev) {
          return { date: ev.date, event: ev.event, countries: splitList(ev.countries),
                   actors: splitList(ev.actors), source: typeof ev.source === 'string' ? ev.source : '' };
        }).sort(function (a, b) { return a.date < b.date ? -1 : a.date > b.date ? 1 : 0; });
      })
      .catch(function (err) {
        events = [];
        if (window.console) console.warn('sahelmap: events unavailable (' + err.message + ')');
      })
      .then(function () {
        eventsState = events.length ? 'ready' : 'unavailable';
        document.body.setAttribute('data-events', eventsState);
        buildMarks();
        updateControls();
      });
  }

  // ------------------------------------------------------------- controls
  slider.min = '0';
  slider.max = String(END_DAY - START_DAY);
  dateInput.min = RANGE_START;
  dateInput.max = dayToIso(END_DAY);

  function updateControls() {
    styleSelect.value = state.style;
    overlayBox.checked = state.overlay;
    if (dateInput.value !== state.date) dateInput.value = state.date;
    slider.value = String(isoToDay(state.date) - START_DAY);
    slider.setAttribute('aria-valuetext', longDate(state.date));
    var f = dayFraction(state.date);
    track.style.setProperty('--pos', (f * 100) + '%');
    var hasPrev = events.some(function (ev) { return ev.date < state.date; });
    var hasNext = events.some(function (ev) { return ev.date > state.date; });
    prevButton.disabled = !hasPrev;
    nextButton.disabled = !hasNext;
    latestButton.disabled = !evidenceUntil || state.date === evidenceUntil;
    updateMarks();
    updateCaption();
    updateBanner();
  }

  var tileTimer = null;
  function setDate(iso, opts) {
    var d = clampDate(iso);
    if (!d) return;
    if (d !== state.date) map.closePopup(); // its dates and sources were those of the old date
    state.date = d;
    updateControls();
    updateSiteList();
    clearTimeout(tileTimer);
    if (opts && opts.defer) {
      tileTimer = setTimeout(function () { applyLayers(); writeUrl(); }, 250);
    } else {
      applyLayers();
      writeUrl();
    }
  }

  styleSelect.addEventListener('change', function () {
    if (STYLES.indexOf(styleSelect.value) < 0) return;
    state.style = styleSelect.value;
    applyLayers();
    loadAttribution(state.style);
    writeUrl();
  });
  compareInput.min = RANGE_START;
  compareInput.max = dayToIso(END_DAY);
  compareInput.addEventListener('change', function () {
    state.compare = compareInput.value ? clampDate(compareInput.value) : null;
    applyLayers();
    writeUrl();
  });
  compareClear.addEventListener('click', function () {
    state.compare = null;
    applyLayers();
    writeUrl();
    compareInput.focus();
  });
  overlayBox.addEventListener('change', function () {
    state.overlay = overlayBox.checked;
    applyLayers();
    writeUrl();
  });
  dateInput.addEventListener('change', function () {
    if (clampDate(dateInput.value)) setDate(dateInput.value);
  });
  slider.addEventListener('input', function () {
    setDate(dayToIso(START_DAY + (+slider.value)), { defer: true });
  });
  slider.addEventListener('change', function () {
    setDate(dayToIso(START_DAY + (+slider.value)));
  });
  prevButton.addEventListener('click', function () {
    for (var i = events.length - 1; i >= 0; i--) if (events[i].date < state.date) { setDate(events[i].date); return; }
  });
  nextButton.addEventListener('click', function () {
    for (var i = 0; i < events.length; i++) if (events[i].date > state.date) { setDate(events[i].date); return; }
  });
  latestButton.addEventListener('click', function () { if (evidenceUntil) setDate(evidenceUntil); });
  $('controls').addEventListener('submit', function (e) { e.preventDefault(); });

  map.on('moveend', function () {
    var c = map.getCenter();
    state.zoom = map.getZoom();
    state.lat = c.lat;
    state.lon = c.lng;
    writeUrl();
  });

  // A hash edited by hand (or a pasted link in the same tab) moves the view.
  window.addEventListener('hashchange', function () {
    var next = parseParams(window.location.hash);
    var styleChanged = next.style && next.style !== state.style;
    if (next.unknownStyle) { unknownStyle = next.unknownStyle; delete next.unknownStyle; showStyleNotice(); }
    if (next.date && next.date !== state.date) map.closePopup();
    if (!next.compare) next.compare = null; // a link without compare= shows no change map
    Object.assign(state, next);
    if (next.zoom !== undefined) map.setView([state.lat, state.lon], state.zoom);
    updateControls();
    applyLayers();
    if (styleChanged) loadAttribution(state.style);
    writeUrl();
  });

  var resizeTimer = null;
  window.addEventListener('resize', function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(buildMarks, 150);
  });

  // ------------------------------------------------------------- evidence
  // A date after the evidence cut-off still draws the last reported
  // situation; the banner says so, since the map itself cannot.
  function updateBanner() {
    var after = !!evidenceUntil && state.date > evidenceUntil;
    banner.hidden = !after;
    document.body.setAttribute('data-after-evidence', after ? '1' : '0');
    if (!after) return;
    banner.textContent = '';
    var text = document.createElement('span');
    text.textContent = 'No reporting after ' + longDate(evidenceUntil) + ': the map of ' + longDate(state.date) +
      ' shows the last reported situation.';
    var go = document.createElement('button');
    go.type = 'button';
    go.className = 'text-button';
    go.textContent = 'Show ' + longDate(evidenceUntil);
    go.addEventListener('click', function () { setDate(evidenceUntil); });
    banner.appendChild(text);
    banner.appendChild(go);
  }

  function showStyleNotice() {
    if (!unknownStyle) { styleNotice.hidden = true; return; }
    styleNotice.textContent = '';
    var text = document.createElement('span');
    text.textContent = 'There is no base map "' + unknownStyle.slice(0, 40) + '"; showing ' +
      (STYLE_NAMES[state.style] || state.style) + ' instead (offered: ' +
      STYLES.map(function (s) { return STYLE_NAMES[s]; }).join(', ') + ').';
    var close = document.createElement('button');
    close.type = 'button';
    close.className = 'text-button';
    close.textContent = 'Dismiss';
    close.addEventListener('click', function () { styleNotice.hidden = true; unknownStyle = null; });
    styleNotice.appendChild(text);
    styleNotice.appendChild(close);
    styleNotice.hidden = false;
  }

  function setEvidence(iso) {
    if (isNaN(isoToDay(iso))) return;
    evidenceUntil = iso;
    END_DAY = Math.max(END_DAY, isoToDay(iso));
    slider.max = String(END_DAY - START_DAY);
    dateInput.max = dayToIso(END_DAY);
    latestButton.title = 'Go to the latest reporting: ' + longDate(iso);
  }

  // ------------------------------------------------------------- pop-ups
  var KIND_NAMES = {
    airbase: 'Airbase', logistics_hub: 'Logistics hub', command_post: 'Command post', forward_base: 'Forward base',
    port: 'Port', town: 'Town presence', former_western_base: 'Former Western base'
  };
  var MODE_NAMES = { road: 'Road', air: 'Air link (schematic)', sea_road: 'Sea, then road' };
  var STATUS_NAMES = { active: 'Active', reinforcing: 'Reinforcing', planned: 'Planned', withdrawn: 'Withdrawn' };
  // The reference tables' rules ("Confidence"), shortened.
  var CONFIDENCE_NAMES = {
    high: 'High: two or more independent credible reports agree',
    medium: 'Medium: a single credible report, or continuity inferred from one',
    low: 'Low: an unsupported claim, partisan material or an inferred location'
  };
  var LAYER_NAMES = { sites: 'Site', corridors: 'Corridor', influence: 'Region' };
  var POPUP_LAYERS = ['sites', 'corridors', 'influence'];

  function actorName(a) { return ACTOR_NAMES[a] || String(a || 'unknown').replace(/_/g, ' '); }
  function worded(table, v) { return v === null || v === undefined || v === '' ? 'not reported' : (table[v] || String(v).replace(/_/g, ' ')); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function row(dl, term, value) {
    dl.appendChild(el('dt', '', term));
    var dd = el('dd');
    if (value instanceof Node) dd.appendChild(value); else dd.textContent = value;
    dl.appendChild(dd);
    return dd;
  }
  function dateText(iso, missing) { return iso && !isNaN(isoToDay(String(iso).slice(0, 10))) ? longDate(String(iso).slice(0, 10)) : missing; }
  function pct(v) { return typeof v === 'number' && isFinite(v) ? Math.round(v * 100) + ' %' : '–'; }
  function num(v) { return typeof v === 'number' && isFinite(v) ? v.toFixed(2) : '–'; }

  // A source list: "URL (outlet, date); URL2 (...)"; an item without a URL
  // (the seed document) is shown as text.
  function sourceList(source) {
    var ul = el('ul', 'sources');
    String(source || '').split(/;\s+/).forEach(function (part) {
      part = part.trim();
      if (!part) return;
      var li = el('li');
      var m = /(https?:\/\/[^\s)]+)\s*(?:\(([^)]*)\))?/.exec(part);
      if (m) {
        var a = el('a', '', m[2] ? m[2] : m[1].replace(/^https?:\/\/(www\.)?/, '').split('/')[0]);
        a.href = m[1];
        a.rel = 'noopener noreferrer';
        a.target = '_blank';
        a.title = m[1];
        li.appendChild(a);
      } else {
        li.textContent = part;
      }
      ul.appendChild(li);
    });
    if (!ul.childNodes.length) ul.appendChild(el('li', 'muted', 'no source given'));
    return ul;
  }

  function featureSection(layer, p) {
    var sec = el('section', 'feature feature-' + layer);
    sec.appendChild(el('p', 'feature-kind', LAYER_NAMES[layer] || layer));
    sec.appendChild(el('h3', '', p.name || p.id || '(unnamed)'));
    var dl = el('dl');
    row(dl, 'Actor', actorName(p.actor));
    if (layer === 'sites') {
      row(dl, 'Kind', worded(KIND_NAMES, p.kind));
      row(dl, 'Status', worded(STATUS_NAMES, p.status));
    } else {
      row(dl, 'Mode', worded(MODE_NAMES, p.mode));
    }
    row(dl, 'From', dateText(p.valid_from, 'no start reported'));
    row(dl, 'To', dateText(p.valid_to, evidenceUntil ? 'no end reported (as of ' + longDate(evidenceUntil) + ')' : 'no end reported'));
    var conf = row(dl, 'Confidence', worded(CONFIDENCE_NAMES, p.confidence));
    conf.className = 'confidence confidence-' + (p.confidence || 'unknown');
    if (layer === 'sites' && p.strength !== null && p.strength !== undefined) row(dl, 'Strength', p.strength + ' of 5');
    sec.appendChild(dl);
    sec.appendChild(el('h4', '', 'Sources'));
    sec.appendChild(sourceList(p.source));
    return sec;
  }

  // Sites of the map's date (OGC API items), for the feature list and for
  // the sites that weigh most in a region.
  var sitesCache = {};
  function sitesAt(date) {
    if (!sitesCache[date]) {
      sitesCache[date] = fetch('/ogc/collections/sites/items?f=json&limit=10000&datetime=' + date)
        .then(function (res) { if (!res.ok) throw new Error('HTTP ' + res.status); return res.json(); })
        .then(function (fc) {
          return (fc.features || []).filter(function (f) { return f.geometry && f.geometry.type === 'Point'; });
        })
        .catch(function () { delete sitesCache[date]; return []; });
    }
    return sitesCache[date];
  }

  var CONFIDENCE_WEIGHT = { high: 1, medium: 0.6, low: 0.06 };
  var REACH_KM = 300; // beyond three of the model's ~100 km radii a site adds next to nothing

  // The rings of a GeoJSON (Multi)Polygon.
  function ringsOf(geometry) {
    if (!geometry) return [];
    if (geometry.type === 'Polygon') return geometry.coordinates;
    if (geometry.type === 'MultiPolygon') return [].concat.apply([], geometry.coordinates);
    return [];
  }
  function insideRings(rings, lon, lat) {
    var inside = false;
    rings.forEach(function (ring) {
      for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        var a = ring[i], b = ring[j];
        if ((a[1] > lat) !== (b[1] > lat) && lon < (b[0] - a[0]) * (lat - a[1]) / (b[1] - a[1]) + a[0]) inside = !inside;
      }
    });
    return inside;
  }
  // Kilometres from a point to a region: 0 inside, else to its nearest vertex
  // (the outlines are generalised, their vertices a few km apart).
  function kmToRegion(rings, lon, lat) {
    if (insideRings(rings, lon, lat)) return 0;
    var best = Infinity, here = L.latLng(lat, lon);
    rings.forEach(function (ring) {
      ring.forEach(function (v) { best = Math.min(best, map.distance(here, L.latLng(v[1], v[0]))); });
    });
    return best / 1000;
  }
  // A region's main contributors: the bloc's sites in or near the region,
  // by strength, confidence and distance (a 100 km Gaussian, about the
  // model's reach; docs/influence.md has the model itself). Without the
  // region's outline, distances are from the point asked about.
  function topSites(sites, bloc, region, latlng, n) {
    var rings = ringsOf(region && region.geometry);
    return sites.filter(function (f) { return BLOC_OF[f.properties.actor] === bloc && f.properties.status !== 'planned'; })
      .map(function (f) {
        var c = f.geometry.coordinates;
        var km = rings.length ? kmToRegion(rings, c[0], c[1]) : map.distance(latlng, L.latLng(c[1], c[0])) / 1000;
        var w = (+f.properties.strength || 1) * (CONFIDENCE_WEIGHT[f.properties.confidence] || 0.5) *
          Math.exp(-km * km / (2 * 100 * 100));
        return { f: f, km: km, w: w };
      })
      .filter(function (s) { return s.km <= REACH_KM; })
      .sort(function (a, b) { return b.w - a.w || a.km - b.km; })
      .slice(0, n);
  }
  // The region's outline from the OGC API (GetFeatureInfo gives no geometry).
  function regionOutline(fid) {
    if (fid === undefined || fid === null) return Promise.resolve(null);
    return fetch('/ogc/collections/influence/items/' + encodeURIComponent(fid) + '?f=json')
      .then(function (res) { return res.ok ? res.json() : null; })
      .catch(function () { return null; });
  }

  function regionSection(p, sites, outline, latlng) {
    var sec = el('section', 'feature feature-influence');
    sec.appendChild(el('p', 'feature-kind', 'Region' + (p.iso3 ? ' · ' + p.iso3 : '')));
    sec.appendChild(el('h3', '', p.name || p.code || '(unnamed region)'));
    var blocs = Object.keys(p).filter(function (k) { return /^score_/.test(k); }).map(function (k) { return k.slice(6); });
    var dl = el('dl');
    var dominant = p.dominant;
    row(dl, 'Dominant', worded(DOMINANT_NAMES, dominant));
    if (p.certainty !== undefined && p.certainty !== null)
      row(dl, 'Certainty', typeof p.certainty === 'number' ? pct(p.certainty) : String(p.certainty));
    sec.appendChild(dl);
    // The interval and the probability of dominance when the model gives them.
    var hasInterval = blocs.some(function (b) { return typeof p['low_' + b] === 'number' && typeof p['high_' + b] === 'number'; });
    var hasP = blocs.some(function (b) { return typeof p['p_' + b] === 'number'; });
    var table = el('table', 'scores');
    var head = el('tr');
    ['Bloc', 'Score'].concat(hasInterval ? ['90 % interval'] : [], hasP ? ['P(dominant)'] : [])
      .forEach(function (h) { head.appendChild(el('th', '', h)); });
    var thead = el('thead'); thead.appendChild(head); table.appendChild(thead);
    var body = el('tbody');
    blocs.forEach(function (b) {
      var tr = el('tr');
      tr.appendChild(el('th', '', BLOC_NAMES[b] || b));
      tr.appendChild(el('td', '', num(p['score_' + b])));
      if (hasInterval) {
        var given = typeof p['low_' + b] === 'number' && typeof p['high_' + b] === 'number';
        tr.appendChild(el('td', '', given ? num(p['low_' + b]) + '–' + num(p['high_' + b]) : '–'));
      }
      if (hasP) tr.appendChild(el('td', '', pct(p['p_' + b])));
      body.appendChild(tr);
    });
    table.appendChild(body);
    sec.appendChild(table);
    var missing = [hasInterval ? null : 'no 90 % interval', hasP ? null : 'no probability of dominance'].filter(Boolean);
    if (missing.length) {
      var note = missing.join(' and ') + ' from this server\'s model.';
      sec.appendChild(el('p', 'muted note', note.charAt(0).toUpperCase() + note.slice(1)));
    }
    // The bloc whose sites to list: the dominant one, else the strongest.
    var bloc = blocs.indexOf(dominant) >= 0 ? dominant : null;
    if (!bloc) blocs.forEach(function (b) { if (!bloc || (p['score_' + b] || 0) > (p['score_' + bloc] || 0)) bloc = b; });
    var h = el('h4', '', 'Sites that weigh most here' + (bloc ? ' (' + (BLOC_NAMES[bloc] || bloc) + ')' : ''));
    var list = el('ul', 'top-sites');
    sec.appendChild(h);
    sec.appendChild(list);
    (function () {
      var top = bloc ? topSites(sites, bloc, outline, latlng, 3) : [];
      if (!top.length) list.appendChild(el('li', 'muted', 'No site of this bloc within ' + REACH_KM + ' km on this date.'));
      top.forEach(function (s) {
        var li = el('li');
        var b = el('button', 'link-button', s.f.properties.name);
        b.type = 'button';
        b.addEventListener('click', function () { openSite(s.f); });
        li.appendChild(b);
        li.appendChild(document.createTextNode(' · ' + actorName(s.f.properties.actor) + ', ' +
          (s.km < 1 ? 'in the region' : Math.round(s.km) + ' km away') + ', ' +
          (s.f.properties.confidence || '?') + ' confidence'));
        list.appendChild(li);
      });
    })();
    return sec;
  }

  // The features at a point: WMS GetFeatureInfo of this service over a
  // 101 px window (each of its pixels two screen pixels, so the service's
  // 5-pixel tolerance is about 10 px on screen, a site symbol's size).
  var EARTH = 6378137;
  function featureInfo(latlng) {
    var p = L.CRS.EPSG3857.project(latlng);
    var res = 2 * Math.PI * EARTH / (256 * Math.pow(2, map.getZoom())) * 2;
    var half = 50.5 * res;
    var params = new URLSearchParams({
      SERVICE: 'WMS', VERSION: '1.3.0', REQUEST: 'GetFeatureInfo', CRS: 'EPSG:3857',
      BBOX: [p.x - half, p.y - half, p.x + half, p.y + half].map(function (v) { return v.toFixed(2); }).join(','),
      WIDTH: '101', HEIGHT: '101', I: '50', J: '50', FORMAT: 'image/png', STYLES: '',
      LAYERS: POPUP_LAYERS.join(','), QUERY_LAYERS: POPUP_LAYERS.join(','),
      INFO_FORMAT: 'application/json', FEATURE_COUNT: '6', TIME: state.date
    });
    return fetch('/wms?' + params.toString()).then(function (res) {
      if (!res.ok) throw new Error('HTTP ' + res.status);
      return res.json();
    });
  }

  // Kept clear of the controls down the left edge (zoom, sites) when it pans into view.
  var popup = L.popup({
    maxWidth: 340, minWidth: 220, className: 'feature-popup',
    autoPanPaddingTopLeft: L.point(96, 12), autoPanPaddingBottomRight: L.point(10, 12)
  });
  var popupSeq = 0;
  function popupSize() {
    var size = map.getSize();
    var room = size.x - 96 - 10 - 40; // the paddings, the content's margins and the wrapper
    popup.options.maxWidth = Math.max(180, Math.min(340, room));
    popup.options.minWidth = Math.min(220, popup.options.maxWidth);
    popup.options.maxHeight = Math.max(160, Math.floor(size.y * 0.62));
  }

  function showPopup(latlng, content, focus) {
    popupSize();
    popup.setLatLng(latlng).setContent(content).openOn(map);
    document.body.setAttribute('data-popup', 'open');
    if (focus) {
      var first = content.querySelector('h3');
      if (first) { first.setAttribute('tabindex', '-1'); first.focus(); }
    }
  }

  function openAt(latlng, focus) {
    var seq = ++popupSeq;
    document.body.setAttribute('data-popup', 'loading');
    featureInfo(latlng).then(function (fc) {
      var found = (fc && fc.features) || [];
      var region = found.filter(function (f) { return f.layer === 'influence'; })[0];
      var onlyRegion = region && !found.some(function (f) { return f.layer === 'sites' || f.layer === 'corridors'; });
      // A region's pop-up needs the sites of the date and its outline: fetched
      // before it opens, so it pans into view at its full size.
      if (!onlyRegion) return [fc, [], null];
      return Promise.all([fc, sitesAt(state.date), regionOutline(region.id)]);
    }).then(function (got) {
      if (seq !== popupSeq) return;
      var fc = got[0];
      var found = (fc && fc.features) || [];
      var sites = found.filter(function (f) { return f.layer === 'sites'; });
      var corridors = found.filter(function (f) { return f.layer === 'corridors'; });
      var regions = found.filter(function (f) { return f.layer === 'influence'; });
      var box = el('div', 'popup-body');
      box.setAttribute('data-date', state.date);
      // Sites first (co-located sites, as at Niamey, each get a section),
      // else a corridor, else the region and its influence.
      var shown = sites.length ? sites.slice(0, 3) : corridors.slice(0, 1);
      shown.forEach(function (f) { box.appendChild(featureSection(f.layer, f.properties || {})); });
      if (!shown.length && regions.length) box.appendChild(regionSection(regions[0].properties || {}, got[1], got[2], latlng));
      if (!box.childNodes.length) {
        box.appendChild(el('p', 'muted', 'Nothing mapped here on ' + longDate(state.date) + '.'));
      }
      box.appendChild(el('p', 'popup-date muted', 'As of ' + longDate(state.date) +
        (evidenceUntil && state.date > evidenceUntil ? ' (no reporting after ' + longDate(evidenceUntil) + ')' : '')));
      showPopup(latlng, box, focus);
    }).catch(function (err) {
      if (seq !== popupSeq) return;
      showPopup(latlng, el('p', 'muted', 'The feature information is unavailable (' + err.message + ').'), focus);
    });
  }

  // A site from the list or from a region's pop-up: centred, then asked for
  // as if clicked, so the pop-up is the same whichever way it was reached.
  function openSite(f) {
    var c = f.geometry.coordinates;
    var ll = L.latLng(c[1], c[0]);
    var zoom = Math.max(map.getZoom(), 7);
    map.setView(ll, zoom, { animate: false });
    openAt(ll, true);
  }

  map.on('click', function (e) { openAt(e.latlng, false); });
  map.on('popupclose', function () { document.body.setAttribute('data-popup', 'closed'); });
  // Keyboard: Enter on the focused map asks what lies at its centre (the
  // cross-hair shows where).
  map.getContainer().addEventListener('keydown', function (e) {
    if (e.key !== 'Enter' || e.target !== map.getContainer()) return;
    e.preventDefault();
    openAt(map.getCenter(), true);
  });

  // The sites of the date as a list of buttons: every site reachable with
  // Tab and Enter, on any screen.
  var SiteList = L.Control.extend({
    options: { position: 'topleft' },
    onAdd: function () {
      var div = L.DomUtil.create('div', 'leaflet-control site-list');
      div.innerHTML = '<details class="site-box" id="site-list"><summary>Sites</summary>' +
        '<ul id="site-items" aria-label="Sites on the map"></ul></details>';
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    }
  });
  new SiteList().addTo(map);
  var siteListDate = null;
  function updateSiteList() {
    var details = $('site-list');
    if (!details || !details.open || siteListDate === state.date) return;
    var date = siteListDate = state.date;
    var ul = $('site-items');
    ul.textContent = '';
    ul.appendChild(el('li', 'muted', 'Loading…'));
    sitesAt(date).then(function (sites) {
      if (date !== state.date) return;
      ul.textContent = '';
      sites.slice().sort(function (a, b) {
        return String(a.properties.name).localeCompare(String(b.properties.name));
      }).forEach(function (f) {
        var li = el('li');
        var b = el('button', 'link-button', f.properties.name);
        b.type = 'button';
        b.setAttribute('data-id', f.properties.id || '');
        b.appendChild(el('small', '', ' ' + actorName(f.properties.actor) + ', ' + (f.properties.confidence || '?')));
        b.addEventListener('click', function () { openSite(f); });
        li.appendChild(b);
        ul.appendChild(li);
      });
      if (!sites.length) ul.appendChild(el('li', 'muted', 'No site on ' + longDate(date) + '.'));
    });
  }
  $('site-list').addEventListener('toggle', function () {
    var box = $('site-list');
    var size = map.getSize();
    box.style.maxHeight = Math.max(120, Math.floor(size.y / 2) - 20) + 'px';
    box.style.maxWidth = Math.max(180, Math.floor(size.x / 2) - 20) + 'px';
    updateSiteList();
  });

  // ------------------------------------------------------------- start
  // The map opens on the evidence cut-off unless the URL names a date: the
  // tiles wait for /data.json (one small request) so they are asked once.
  showStyleNotice();
  fetch('/data.json', { headers: { Accept: 'application/json' } })
    .then(function (res) { if (!res.ok) throw new Error('HTTP ' + res.status); return res.json(); })
    .then(function (doc) { if (doc && typeof doc.evidence_until === 'string') setEvidence(doc.evidence_until); })
    .catch(function (err) { if (window.console) console.warn('sahelmap: /data.json unavailable (' + err.message + ')'); })
    .then(function () {
      if (!dateFromUrl) state.date = evidenceUntil || TODAY;
      else state.date = clampDate(readUrl().date || state.date) || state.date;
      document.body.setAttribute('data-evidence', evidenceUntil || '');
      buildYears();
      updateControls();
      applyLayers();
      loadAttribution(state.style);
      writeUrl();
      loadEvents();
    });

  // For debugging from the console and for the browser test.
  window.sahelmap = {
    map: map,
    state: state,
    events: function () { return events.slice(); },
    setDate: setDate,
    evidenceUntil: function () { return evidenceUntil; },
    openAt: function (lat, lon) { openAt(L.latLng(lat, lon), false); },
    tileErrors: function () { return tileErrors; }
  };
})();
