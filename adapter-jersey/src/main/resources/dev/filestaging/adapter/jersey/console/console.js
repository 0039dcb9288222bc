// The staging area's web console. It holds no data of its own: it calls the Files API of the server that served it,
// with the credentials the user signs in with, kept in this tab's sessionStorage only.
import { Uppy, Dashboard, Tus, GoldenRetriever } from './vendor/uppy.min.mjs';

const API = new URL('../', window.location.href); // the service's root, under whatever prefix a proxy adds
const SESSION_KEY = 'files-console.session';
const DATA_FORMATS = ['', 'csv', 'tsv', 'nd-json', 'parquet', 'orc', 'avro_ocf'];
const COMPRESSION_FORMATS = ['', 'gz', 'bz2', 'xz', 'zstd', 'sz'];
const $ = (id) => document.getElementById(id);

const state = {
  session: null, // {authorization, expiresAt?, organization, serviceAccountId, roles}
  project: 'default',
  pageSize: 100,
  filter: '',
  pages: [null], // continuation tokens: pages[i] reads page i; null is the first
  pageIndex: 0,
  files: [],
  sort: { key: 'name', ascending: true },
  uppy: null,
};

// ---- errors in words -------------------------------------------------------------------------------------------

/** A failed answer of the API, with what a person should read. */
class ApiError extends Error {
  constructor(status, problem) {
    super(words(status, problem));
    this.status = status;
    this.code = problem?.code ?? null;
  }
}

/** What a problem (RFC 9457) means for the person at the keyboard; the server's detail is already written for one. */
function words(status, problem) {
  const detail = problem?.detail ? ` (${problem.detail})` : '';
  switch (problem?.code) {
    case 'unauthorized':
      return 'The key or token was not accepted: it is wrong, revoked or expired. Sign in again.';
    case 'invalid_token':
      return 'Your sign-in has expired or is not valid any more. Sign in again.';
    case 'forbidden':
      return 'Your credentials may only read files here (ReadFiles); uploading and deleting need ManageFiles.';
    case 'name_conflict':
      return `A file of this name is already staged in this project${detail}. Delete it first, or rename your file.`;
    case 'quota_exceeded':
      return `Not enough space left in this project's quota${detail}.`; // the detail says how much, and what to do
    case 'upload_too_large':
      return `The file is larger than this server accepts${detail}.`;
    case 'storage_unavailable':
    case 'storage_full':
    case 'shutting_down':
    case 'too_many_uploads':
      return `The server cannot take this right now${detail}. Try again in a moment.`;
    default:
      if (problem?.detail) {
        return problem.detail.charAt(0).toUpperCase() + problem.detail.slice(1);
      }
      if (problem?.error_description) {
        return problem.error_description;
      }
      return `The server answered ${status}.`;
  }
}

/** The problem an answer carries, or null when its body is not one. */
function problemOf(text) {
  try {
    const body = JSON.parse(text);
    return body && typeof body === 'object' ? body : null;
  } catch {
    return null;
  }
}

function showMessage(text, kind = 'error') {
  $('message-text').textContent = text;
  $('message').className = `message ${kind}`;
  $('message').hidden = false;
}

function clearMessage() {
  $('message').hidden = true;
}

// ---- the API ---------------------------------------------------------------------------------------------------

async function api(path, options = {}) {
  const headers = new Headers(options.headers ?? {});
  if (state.session) {
    headers.set('Authorization', state.session.authorization);
  }
  let answer;
  try {
    answer = await fetch(new URL(path, API), { ...options, headers, cache: 'no-store' });
  } catch {
    throw new ApiError(0, { detail: 'the server cannot be reached; check the connection and try again' });
  }
  if (!answer.ok) {
    const error = new ApiError(answer.status, problemOf(await answer.text()));
    if (answer.status === 401 && state.session) {
      signOut(error.message);
    }
    throw error;
  }
  return answer;
}

const projectPath = () => `v1/projects/${encodeURIComponent(state.project)}`;
const filePath = (name) => `${projectPath()}/files/${encodeURIComponent(name)}`;

// ---- signing in ------------------------------------------------------------------------------------------------

function restoreSession() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(SESSION_KEY));
    if (saved && (!saved.expiresAt || saved.expiresAt > Date.now())) {
      return saved;
    }
  } catch {
    // nothing usable saved
  }
  sessionStorage.removeItem(SESSION_KEY);
  return null;
}

/** Checks the credentials by asking who they belong to, then keeps them for this tab. */
async function signIn(authorization, expiresAt) {
  state.session = { authorization, expiresAt };
  try {
    const me = await (await api('v1/me')).json();
    Object.assign(state.session, me);
    sessionStorage.setItem(SESSION_KEY, JSON.stringify(state.session));
  } catch (error) {
    state.session = null;
    throw error;
  }
  showWorkspace();
}

function signOut(reason) {
  state.session = null;
  state.events?.abort();
  sessionStorage.removeItem(SESSION_KEY);
  if (state.uppy) {
    state.uppy.cancelAll();
    state.uppy.destroy();
    state.uppy = null;
    $('dashboard').replaceChildren();
  }
  $('workspace').hidden = true;
  $('who').hidden = true;
  $('project-form').hidden = true;
  $('sign-in').hidden = false;
  if (reason) {
    showMessage(reason);
  }
  $('api-key').focus();
}

$('key-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  clearMessage();
  const key = $('api-key').value.trim();
  try {
    // Polaris's form: the key as the user name of Basic authentication
    await signIn(`Basic ${btoa(`${key}:`)}`, null);
    $('api-key').value = '';
  } catch (error) {
    showMessage(error.message);
  }
});

$('oauth-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  clearMessage();
  const organization = $('oauth-organization').value.trim();
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: $('oauth-client-id').value.trim(),
    client_secret: $('oauth-client-secret').value,
  });
  try {
    const answer = await api(`auth/realms/${encodeURIComponent(organization)}/protocol/openid-connect/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form,
    });
    const token = await answer.json();
    await signIn(`Bearer ${token.access_token}`, Date.now() + (token.expires_in - 30) * 1000);
    $('oauth-client-secret').value = '';
  } catch (error) {
    showMessage(error.status === 401 || error.status === 400
      ? 'The organization, client id or secret is not right.' : error.message);
  }
});

$('sign-out').addEventListener('click', () => signOut());

// ---- the project, in the address so it can be shared -----------------------------------------------------------

function projectFromAddress() {
  const project = new URLSearchParams(window.location.search).get('project');
  return project && /^[A-Za-z0-9_-]{1,64}$/.test(project) ? project : 'default';
}

function openProject(project, push) {
  state.project = project;
  $('project').value = project;
  const address = new URL(window.location.href);
  if (project === 'default') {
    address.searchParams.delete('project');
  } else {
    address.searchParams.set('project', project);
  }
  if (push && address.href !== window.location.href) {
    window.history.pushState({ project }, '', address);
  }
  document.title = `${project} · Files staging console`;
  $('conflicts').replaceChildren();
  state.uppy?.getPlugin('Tus').setOptions({ endpoint: uploadsEndpoint() });
  firstPage();
  followEvents(project);
}

// ---- events (the change feed, long-polled) ----------------------------------------------------------------------

/** The most events the view keeps. */
const SHOWN_EVENTS = 100;

/**
 * Reads the project's feed to its end, then waits for what comes next (long polling), showing the latest events and
 * refreshing the file list when files change. Opening another project, or signing out, stops it.
 */
async function followEvents(project) {
  state.events?.abort();
  const following = new AbortController();
  state.events = following;
  const shown = [];
  $('events-body').replaceChildren();
  $('events-empty').hidden = false;
  $('events-state').textContent = '';
  let cursor = null;
  let caughtUp = false;
  while (!following.signal.aborted && state.project === project && state.session) {
    const query = new URLSearchParams({ limit: '1000' });
    if (cursor) {
      query.set('after', cursor);
    }
    if (caughtUp) {
      query.set('wait', '25');
    }
    try {
      const answer = await api(`${projectPath()}/events?${query}`, { signal: following.signal });
      const page = await answer.json();
      cursor = page.cursor;
      shown.unshift(...page.events.reverse());
      shown.splice(SHOWN_EVENTS);
      renderEvents(shown);
      if (caughtUp && page.events.length > 0) {
        refreshSoon();
      }
      caughtUp = page.events.length === 0 || caughtUp;
      $('events-state').textContent = caughtUp ? 'Live.' : 'Reading…';
    } catch (error) {
      if (following.signal.aborted) {
        return;
      }
      if (error.status === 410) {
        cursor = null; // events were removed by the retention: start again from the oldest kept
        continue;
      }
      $('events-state').textContent = `Paused: ${error.message}. Retrying…`;
      await new Promise((resume) => setTimeout(resume, 5000));
    }
  }
}

function renderEvents(events) {
  const rows = events.map((event) => {
    const row = document.createElement('tr');
    row.dataset.type = event.type;
    const data = event.data;
    row.append(
      cell(String(data.sequence), 'sequence'),
      cell(new Date(event.time).toLocaleString(), 'time', `${event.time} (UTC)`),
      cell(event.type, 'event-type'),
      cell(event.subject, 'name'),
      cell(data.sizeBytes !== undefined ? human(data.sizeBytes)
        : `${human(data.receivedBytes)} received`, 'size'),
      cell(data.uploadedBy, 'account'),
    );
    return row;
  });
  $('events-body').replaceChildren(...rows);
  $('events-empty').hidden = rows.length > 0;
}

$('project-form').addEventListener('submit', (event) => {
  event.preventDefault();
  if ($('project').checkValidity()) {
    openProject($('project').value.trim(), true);
  }
});

window.addEventListener('popstate', () => {
  if (state.session) {
    openProject(projectFromAddress(), false);
  }
});

// ---- the workspace ---------------------------------------------------------------------------------------------

function showWorkspace() {
  const { organization, serviceAccountId, roles } = state.session;
  $('sign-in').hidden = true;
  $('who-organization').textContent = organization;
  $('who-account').textContent = serviceAccountId;
  $('who-roles').textContent = roles.join(', ') || 'no roles';
  $('who').hidden = false;
  $('project-form').hidden = false;
  $('workspace').hidden = false;
  const canManage = roles.includes('ManageFiles');
  $('upload').hidden = !canManage;
  $('delete-selected').hidden = !canManage;
  $('select-all').hidden = !canManage;
  if (canManage && !state.uppy) {
    state.uppy = createUppy();
  }
  openProject(projectFromAddress(), false);
}

// ---- uploads (Uppy: Dashboard for the list and progress, Tus for resumable transfers) ------------------------

function uploadsEndpoint() {
  return new URL(`${projectPath()}/uploads`, API).href;
}

function createUppy() {
  const uppy = new Uppy({
    id: 'files-console',
    autoProceed: false,
    meta: { dataFormat: '', compressionFormat: '' }, // every added file starts with these (empty: detect)
  });
  uppy.use(Dashboard, {
    target: '#dashboard',
    inline: true,
    width: '100%',
    height: 380,
    showProgressDetails: true,
    proudlyDisplayPoweredByUppy: false,
    hideProgressDetails: false,
    note: 'Resumable: uploads continue after a dropped connection, a server restart or a reload of this tab.',
    metaFields: [
      { id: 'dataFormat', name: 'Data format', render: select(DATA_FORMATS, 'detect from content') },
      { id: 'compressionFormat', name: 'Compression', render: select(COMPRESSION_FORMATS, 'detect from content') },
    ],
  });
  uppy.use(Tus, {
    endpoint: uploadsEndpoint(),
    // 64 MiB per request: each ends at a durable offset, so a broken connection loses at most one request's bytes
    chunkSize: 64 * 1024 * 1024,
    retryDelays: [500, 1000, 2000, 4000, 8000, 15000, 30000],
    allowedMetaFields: ['name', 'type', 'dataFormat', 'compressionFormat'],
    removeFingerprintOnSuccess: true,
    headers: () => ({ Authorization: state.session?.authorization ?? '' }),
    onShouldRetry: (error, attempt, options, retryByDefault) => {
      const status = error?.originalResponse?.getStatus();
      // quota and storage-full answers are 413/507: waiting does not make room
      return status !== 507 && retryByDefault(error);
    },
    onError: (error) => {
      const response = error?.originalResponse;
      if (response) {
        error.message = words(response.getStatus(), problemOf(response.getBody()));
      } else if (!error.message.startsWith('The ')) {
        error.message = 'The connection to the server was lost; press retry once it is back.';
      }
    },
  });
  // the list of uploads, and the files themselves where the browser lets it keep them, survive a reload of the tab
  // (files up to 10 MiB are kept whole in IndexedDB; a bigger one is listed for the user to add again)
  uppy.use(GoldenRetriever, { serviceWorker: false });

  uppy.on('file-added', (file) => checkName(uppy, file));
  // the reason stays on the page (Uppy shows it only in a passing notice and a tooltip)
  uppy.on('upload-error', (file, error) => showMessage(`${file?.name ?? 'Upload'}: ${error.message}`));
  uppy.on('upload-success', () => refreshSoon());
  uppy.on('complete', () => refreshSoon());
  return uppy;
}

/** A select for a Dashboard meta field; the empty choice lets the server detect the format. */
function select(choices, emptyLabel) {
  return ({ value, onChange, form }, h) => h('select', {
    form,
    value: value ?? '',
    onChange: (event) => onChange(event.target.value),
  }, choices.map((choice) => h('option', { value: choice }, choice || emptyLabel)));
}

/**
 * Files whose name is taken are shown as conflicts before any byte is sent, and left out of the upload. The listing is
 * asked (a page matching the name) rather than the file's address, so a free name is a 200 too, not a failed request.
 */
async function checkName(uppy, file) {
  const project = state.project;
  try {
    const query = new URLSearchParams({ pattern: globOf(file.name, false), limit: '100' });
    const answer = await fetch(new URL(`${projectPath()}/files?${query}`, API), {
      headers: { Authorization: state.session.authorization }, cache: 'no-store',
    });
    const staged = answer.ok ? (await answer.json()).files.find((candidate) => candidate.name === file.name) : null;
    if (!staged || project !== state.project || !uppy.getFile(file.id)) {
      return;
    }
    uppy.removeFile(file.id);
    const item = document.createElement('li');
    item.textContent = `${file.name}: a file of this name is already staged in ${project} (${human(staged.sizeBytes)},`
      + ` uploaded ${new Date(staged.uploadedOnDatetime).toLocaleString()}). Delete it first, or rename your file.`;
    $('conflicts').append(item);
  } catch {
    // the upload itself will say what is wrong
  }
}

// ---- the files table -------------------------------------------------------------------------------------------

let refreshTimer = null;
function refreshSoon() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => loadPage(), 300);
}

function firstPage() {
  state.pages = [null];
  state.pageIndex = 0;
  loadPage();
}

/** A glob for the listing's pattern: the text's own *, ? and [ ] can only match themselves through ?. */
function globOf(text, contains = true) {
  const literal = text.replace(/[*?[\]\\]/g, '?');
  return contains ? `*${literal}*` : literal;
}

async function loadPage() {
  if (!state.session) {
    return;
  }
  const query = new URLSearchParams({ limit: String(state.pageSize) });
  const cont = state.pages[state.pageIndex];
  if (cont) {
    query.set('cont', cont);
  }
  if (state.filter) {
    query.set('pattern', globOf(state.filter));
  }
  try {
    const listing = await (await api(`${projectPath()}/files?${query}`)).json();
    state.files = listing.files;
    state.pages.length = state.pageIndex + 1;
    if (listing.cont) {
      state.pages.push(listing.cont);
    }
    renderSpace(listing.space);
    renderFiles();
  } catch (error) {
    showMessage(error.message);
  }
}

function renderSpace({ allocatedBytes, usedBytes, remainingBytes }) {
  const share = allocatedBytes > 0 ? Math.min(1, usedBytes / allocatedBytes) : 1;
  // a sliver stays visible for a little use of a large quota, so "used" never looks like "empty"
  $('space-used').style.width = `${usedBytes > 0 ? Math.max(share * 100, 0.5).toFixed(2) : 0}%`;
  $('space-used').classList.toggle('full', share >= 0.9);
  $('space-bar').setAttribute('aria-valuemax', String(allocatedBytes));
  $('space-bar').setAttribute('aria-valuenow', String(usedBytes));
  $('space-bar').setAttribute('aria-valuetext', `${human(usedBytes)} of ${human(allocatedBytes)} used`);
  $('space-text').textContent = `${human(usedBytes)} used of ${human(allocatedBytes)} · ${human(remainingBytes)} left`;
  $('space-text').title = `${usedBytes.toLocaleString()} of ${allocatedBytes.toLocaleString()} bytes used,`
    + ` ${remainingBytes.toLocaleString()} left`;
}

function sortedFiles() {
  const { key, ascending } = state.sort;
  const order = ascending ? 1 : -1;
  return [...state.files].sort((a, b) => (a[key] < b[key] ? -order : a[key] > b[key] ? order : 0));
}

function renderFiles() {
  const canManage = state.session.roles.includes('ManageFiles');
  const rows = sortedFiles().map((file) => {
    const row = document.createElement('tr');
    row.dataset.name = file.name;
    const pick = document.createElement('input');
    pick.type = 'checkbox';
    pick.className = 'pick';
    pick.hidden = !canManage;
    pick.setAttribute('aria-label', `Select ${file.name}`);
    pick.addEventListener('change', updateSelection);
    const uploaded = new Date(file.uploadedOnDatetime);
    row.append(
      cell(pick),
      cell(file.name, 'name'),
      cell(human(file.sizeBytes), 'size', `${file.sizeBytes.toLocaleString()} bytes`),
      cell(file.dataFormat ?? '—'),
      cell(file.compressionFormat ?? 'none'),
      cell(file.digest.hash, 'md5'),
      cell(file.uploadedByUserId, 'account'),
      cell(uploaded.toLocaleString(), 'time', `${file.uploadedOnDatetime} (UTC)`),
      file.expiresAt ? cell(new Date(file.expiresAt).toLocaleString(), 'time expires', `${file.expiresAt} (UTC)`)
        : cell('never', 'time expires', 'kept until it is deleted'),
      cell(actions(file)),
    );
    return row;
  });
  $('files-body').replaceChildren(...rows);
  $('files-empty').hidden = rows.length > 0;
  $('files-empty').textContent = state.filter ? `No file's name contains "${state.filter}".` : 'No files yet.';
  $('select-all').checked = false;
  $('previous-page').disabled = state.pageIndex === 0;
  $('next-page').disabled = state.pageIndex + 1 >= state.pages.length;
  $('page-number').textContent = `Page ${state.pageIndex + 1}`;
  document.querySelectorAll('th button.sort').forEach((button) => {
    const sorted = button.dataset.key === state.sort.key;
    button.closest('th').setAttribute('aria-sort', sorted ? (state.sort.ascending ? 'ascending' : 'descending') : 'none');
  });
  updateSelection();
}

function cell(content, className, title) {
  const td = document.createElement('td');
  if (content instanceof Node) {
    td.append(content);
  } else {
    td.textContent = content;
  }
  if (className) {
    td.className = className;
  }
  if (title) {
    td.title = title;
  }
  return td;
}

function actions(file) {
  const box = document.createElement('span');
  box.className = 'actions';
  const download = document.createElement('button');
  download.type = 'button';
  download.textContent = 'Download';
  download.addEventListener('click', () => downloadFile(file.name));
  const copy = document.createElement('button');
  copy.type = 'button';
  copy.textContent = 'Copy link';
  copy.addEventListener('click', () => copyLink(file.name, copy));
  box.append(download, copy);
  return box;
}

/**
 * A signed link valid for `seconds`, or for less when the server allows no more (it says how long in GET /v1/me;
 * asking for more would be refused).
 */
async function signedLink(name, seconds) {
  const longest = state.session.linkMaxLifetimeSeconds;
  const answer = await api(`${filePath(name)}/links`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ expiresInSeconds: longest ? Math.min(seconds, longest) : seconds }),
  });
  return answer.json();
}

/** A browser cannot send the key with a plain navigation, so a download goes through a short-lived signed link. */
async function downloadFile(name) {
  try {
    const link = await signedLink(name, 300);
    const anchor = document.createElement('a');
    anchor.href = link.url;
    anchor.download = name;
    document.body.append(anchor);
    anchor.click();
    anchor.remove();
  } catch (error) {
    showMessage(error.message);
  }
}

async function copyLink(name, button) {
  let link;
  try {
    link = await signedLink(name, 3600);
  } catch (error) {
    showMessage(error.message);
    return;
  }
  const until = new Date(link.expiresAt).toLocaleString();
  try {
    // the clipboard is there only in a secure context (https, or this machine)
    await navigator.clipboard.writeText(link.url);
    showMessage(`A link to ${name}, valid until ${until}, is on the clipboard.`, 'info');
  } catch {
    showMessage(`A link to ${name}, valid until ${until} (copy it from here): ${link.url}`, 'info');
  }
  button.focus();
}

function selectedNames() {
  return [...document.querySelectorAll('#files-body input.pick:checked')].map((box) => box.closest('tr').dataset.name);
}

function updateSelection() {
  const count = selectedNames().length;
  $('delete-selected').disabled = count === 0;
  $('delete-selected').textContent = count > 0 ? `Delete selected (${count})` : 'Delete selected';
}

$('select-all').addEventListener('change', () => {
  document.querySelectorAll('#files-body input.pick').forEach((box) => { box.checked = $('select-all').checked; });
  updateSelection();
});

$('delete-selected').addEventListener('click', () => {
  const names = selectedNames();
  $('confirm-text').textContent = names.length === 1 ? `Delete ${names[0]}? This cannot be undone.`
    : `Delete these ${names.length} files? This cannot be undone.`;
  $('confirm-names').replaceChildren(...names.slice(0, 20).map((name) => {
    const item = document.createElement('li');
    item.textContent = name;
    return item;
  }));
  $('confirm-delete').returnValue = 'cancel';
  $('confirm-delete').showModal();
});

$('confirm-delete').addEventListener('close', async () => {
  if ($('confirm-delete').returnValue !== 'delete') {
    return;
  }
  const failures = [];
  for (const name of selectedNames()) {
    try {
      await api(filePath(name), { method: 'DELETE' });
    } catch (error) {
      if (error.status !== 404) {
        failures.push(`${name}: ${error.message}`);
      }
    }
  }
  if (failures.length > 0) {
    showMessage(failures.join(' '));
  } else {
    clearMessage();
  }
  loadPage();
});

document.querySelectorAll('th button.sort').forEach((button) => button.addEventListener('click', () => {
  const key = button.dataset.key;
  state.sort = { key, ascending: state.sort.key === key ? !state.sort.ascending : true };
  renderFiles();
}));

$('filter-form').addEventListener('submit', (event) => {
  event.preventDefault();
  state.filter = $('filter').value.trim();
  firstPage();
});
$('page-size').addEventListener('change', () => {
  state.pageSize = Number($('page-size').value);
  firstPage();
});
$('refresh').addEventListener('click', () => loadPage());
$('previous-page').addEventListener('click', () => {
  state.pageIndex = Math.max(0, state.pageIndex - 1);
  loadPage();
});
$('next-page').addEventListener('click', () => {
  if (state.pageIndex + 1 < state.pages.length) {
    state.pageIndex += 1;
    loadPage();
  }
});
$('message-close').addEventListener('click', clearMessage);

// ---- sizes ------------------------------------------------------------------------------------------------------

function human(bytes) {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

// ---- start ------------------------------------------------------------------------------------------------------

state.session = restoreSession();
if (state.session) {
  showWorkspace();
} else {
  signOut();
}
