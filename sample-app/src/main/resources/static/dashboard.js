// The live dashboard: polls the actuator and draws what the job scheduler is doing.
// Plain browser JavaScript, no build step. URLs are relative so a context path just works.
'use strict';

const POLL_MS = 500;
const HISTORY = 120; // samples kept: one minute at two polls a second
const OUTCOMES = ['success', 'failure', 'cancelled'];

const history = [];
let lastCompleted = null;

const $ = (id) => document.getElementById(id);

// --- reading the actuator -------------------------------------------------------------------

async function getJson(url) {
  const response = await fetch(url, { cache: 'no-store', headers: { Accept: 'application/json' } });
  if (response.status === 404) {
    return null; // e.g. a counter that has not been registered yet
  }
  if (!response.ok) {
    throw new Error(url + ' answered ' + response.status);
  }
  return response.json();
}

// One value of /actuator/metrics/{name}, 0 while the meter does not exist.
async function metric(name, tag) {
  const body = await getJson('actuator/metrics/' + name + (tag ? '?tag=' + encodeURIComponent(tag) : ''));
  if (!body || !body.measurements || body.measurements.length === 0) {
    return 0;
  }
  const m = body.measurements.find((x) => x.statistic === 'VALUE' || x.statistic === 'COUNT')
      || body.measurements[0];
  return m.value;
}

// The first object, anywhere in the /actuator/jobs answer, for which test(obj) holds.
function findObject(value, test) {
  if (value === null || typeof value !== 'object') {
    return null;
  }
  if (!Array.isArray(value) && test(value)) {
    return value;
  }
  for (const child of Object.values(value)) {
    const found = findObject(child, test);
    if (found) {
      return found;
    }
  }
  return null;
}

// The first array of jobs ({name, state, ...}) in the /actuator/jobs answer.
function findJobs(value) {
  if (Array.isArray(value) && value.length > 0 && value.every((j) => j && typeof j === 'object' && 'name' in j)) {
    return value;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      const found = findJobs(child);
      if (found) {
        return found;
      }
      if (key === 'jobs' && Array.isArray(child)) {
        return child; // an empty list
      }
    }
  }
  return null;
}

async function poll() {
  const [active, pending, spawned, jobs, ...completed] = await Promise.all([
    metric('aiojobs.jobs.active'),
    metric('aiojobs.jobs.pending'),
    metric('aiojobs.jobs.spawned'),
    getJson('actuator/jobs'),
    ...OUTCOMES.map((o) => metric('aiojobs.jobs.completed', 'outcome:' + o)),
  ]);
  const settings = findObject(jobs, (o) => 'limit' in o) || {};
  return {
    active, pending, spawned,
    completed: Object.fromEntries(OUTCOMES.map((o, i) => [o, completed[i]])),
    limit: settings.limit,
    pendingLimit: settings.pendingLimit ?? settings['pending-limit'],
    jobs: findJobs(jobs) || [],
  };
}

// --- showing it -----------------------------------------------------------------------------

function show(id, value) {
  const text = (value === undefined || value === null) ? '–'
      : (value === 0 && (id === 'limit' || id === 'pending-limit')) ? '∞' : String(Math.round(value));
  if ($(id).textContent !== text) {
    $(id).textContent = text;
  }
}

function render(sample) {
  show('active', sample.active);
  show('pending', sample.pending);
  show('limit', sample.limit);
  show('pending-limit', sample.pendingLimit);
  show('spawned', sample.spawned);
  show('succeeded', sample.completed.success);
  show('failed', sample.completed.failure);
  show('cancelled', sample.completed.cancelled);
  renderJobs(sample.jobs);
  drawChart();
}

function renderJobs(jobs) {
  const shown = jobs.slice(0, 50);
  const rows = shown.map((job) => {
    const tr = document.createElement('tr');
    const state = String(job.state || '').toLowerCase();
    for (const [text, cls] of [[job.name, ''], [state, 'state-' + state], [formatAge(job.age), '']]) {
      const td = document.createElement('td');
      td.textContent = text;
      if (cls) {
        td.className = cls;
      }
      tr.appendChild(td);
    }
    return tr;
  });
  $('jobs-table').tBodies[0].replaceChildren(...rows);
  $('jobs-shown').textContent = jobs.length > shown.length ? `(first ${shown.length} of ${jobs.length})` : '';
}

// Ages come as ISO-8601 durations (PT1.5S), milliseconds or seconds, depending on the endpoint.
function formatAge(age) {
  if (typeof age === 'number') {
    return (age > 1000 ? age / 1000 : age).toFixed(1) + ' s';
  }
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$/.exec(String(age));
  if (!m) {
    return age === undefined ? '' : String(age);
  }
  const seconds = (+(m[1] || 0)) * 3600 + (+(m[2] || 0)) * 60 + (+(m[3] || 0));
  return seconds.toFixed(1) + ' s';
}

function drawChart() {
  const canvas = $('chart');
  const ctx = canvas.getContext('2d');
  const w = canvas.width;
  const h = canvas.height;
  const linesH = h * 0.62;
  const barsTop = linesH + 20;
  const barsH = h - barsTop - 4;
  const style = getComputedStyle(document.documentElement);
  const colour = (name) => style.getPropertyValue('--' + name).trim();
  ctx.clearRect(0, 0, w, h);
  ctx.font = '12px system-ui, sans-serif';
  const step = w / (HISTORY - 1);
  const x = (i) => w - (history.length - 1 - i) * step;

  // Active, pending and the limit.
  const top = Math.max(1, ...history.map((s) => Math.max(s.active, s.pending, s.limit || 0)));
  const y = (v) => linesH - 4 - (v / top) * (linesH - 20);
  const line = (key, name, dash) => {
    ctx.beginPath();
    ctx.setLineDash(dash || []);
    ctx.strokeStyle = colour(name);
    ctx.lineWidth = 2;
    history.forEach((s, i) => (i === 0 ? ctx.moveTo(x(i), y(s[key] || 0)) : ctx.lineTo(x(i), y(s[key] || 0))));
    ctx.stroke();
    ctx.setLineDash([]);
  };
  if (history.some((s) => s.limit > 0)) {
    line('limit', 'limit', [6, 4]);
  }
  line('pending', 'pending');
  line('active', 'active');
  ctx.fillStyle = colour('limit');
  ctx.fillText(String(Math.round(top)), 4, 14);

  // Jobs finished during each poll, stacked by outcome.
  const totals = history.map((s) => OUTCOMES.reduce((sum, o) => sum + s.finished[o], 0));
  const most = Math.max(1, ...totals);
  history.forEach((s, i) => {
    let base = barsTop + barsH;
    for (const o of OUTCOMES) {
      const barH = (s.finished[o] / most) * barsH;
      ctx.fillStyle = colour(o);
      ctx.fillRect(x(i) - step / 2, base - barH, Math.max(1, step - 1), barH);
      base -= barH;
    }
  });
  ctx.fillStyle = colour('limit');
  ctx.fillText(String(most), 4, barsTop + 10);
}

// --- the loop and the buttons -----------------------------------------------------------------

async function tick() {
  try {
    const sample = await poll();
    sample.finished = Object.fromEntries(OUTCOMES.map((o) => [o,
        lastCompleted ? Math.max(0, sample.completed[o] - lastCompleted[o]) : 0]));
    lastCompleted = sample.completed;
    history.push(sample);
    if (history.length > HISTORY) {
      history.shift();
    }
    render(sample);
    $('error').textContent = '';
    document.body.dataset.polls = String(Number(document.body.dataset.polls) + 1);
  }
  catch (e) {
    $('error').textContent = 'Cannot read the actuator: ' + e.message;
  }
  finally {
    setTimeout(tick, POLL_MS);
  }
}

async function post(url, form) {
  const response = await fetch(url, { method: 'POST', body: form ? new URLSearchParams(new FormData(form)) : null });
  const body = await response.json();
  if (!response.ok) {
    throw new Error(body.error || body.message || response.statusText);
  }
  return body;
}

$('burst-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    const result = await post('demo/burst', event.target);
    $('status-message').textContent = `Spawned ${result.spawned} job(s)`
        + (result.rejected ? `; ${result.rejected} turned away: the pending queue is full` : '') + '.';
  }
  catch (e) {
    $('status-message').textContent = 'Burst failed: ' + e.message;
  }
});

$('cancel-button').addEventListener('click', async () => {
  try {
    const result = await post('demo/cancel');
    $('status-message').textContent = `Cancelled ${result.cancelled} demo job(s).`;
  }
  catch (e) {
    $('status-message').textContent = 'Cancel failed: ' + e.message;
  }
});

tick();
