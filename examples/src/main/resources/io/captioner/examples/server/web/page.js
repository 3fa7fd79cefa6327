// The captioner's web page: sends the chosen image to POST /caption exactly as curl does
// (multipart/form-data, field "image") and shows the answer. No libraries, no build step.
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  const preview = $('preview');
  const overlay = $('overlay');

  let current = null;      // { file, url } of the image on show
  let answer = null;       // the last successful JSON answer
  let selectedWord = -1;   // the word whose attention map is drawn
  let serverHasAttention = false;
  let sequence = 0;        // only the answer to the latest request is shown

  const TITLES = {
    400: 'The server could not caption this file.',
    401: 'This server needs an access token: enter it beside "Token" and try again.',
    408: 'The upload took too long.',
    413: 'The image is too large for this server.',
    415: 'The upload was not sent as a form.',
    429: 'The server is busy.',
    500: 'The server failed on this image.',
    503: 'The server is busy or stopping.',
    504: 'The server took too long to caption this image.',
  };

  function setStatus(text) {
    $('status').textContent = text;
  }

  function showError(title, detail) {
    const error = $('error');
    error.textContent = '';
    const heading = document.createElement('strong');
    heading.textContent = title;
    error.appendChild(heading);
    if (detail) {
      const reason = document.createElement('span');
      reason.className = 'reason';
      reason.textContent = detail;
      error.append(' ', reason);
    }
    error.hidden = false;
  }

  function clearError() {
    $('error').hidden = true;
    $('error').textContent = '';
  }

  async function loadHealth() {
    try {
      const response = await fetch('/health', { headers: { Accept: 'application/json' } });
      const health = await response.json();
      $('model').textContent = health.model || 'unknown';
      serverHasAttention = health.attention === true;
      $('attention-option').hidden = !serverHasAttention;
    } catch (e) {
      $('model').textContent = 'unknown (no answer from /health)';
    }
  }

  function choose(file) {
    if (!file) {
      return;
    }
    if (current) {
      URL.revokeObjectURL(current.url);
    }
    current = { file, url: URL.createObjectURL(file) };
    answer = null;
    clearOverlay();
    preview.src = current.url;
    $('frame').hidden = false;
    $('again').disabled = false;
    send();
  }

  function query() {
    const params = new URLSearchParams();
    const beam = $('beam').value.trim();
    const nbest = $('nbest').value.trim();
    if (beam) {
      params.set('beam', beam);
    }
    if (nbest) {
      params.set('nbest', nbest);
    }
    if (serverHasAttention && $('attention').checked) {
      params.set('attention', 'true');
    }
    const text = params.toString();
    return text ? '?' + text : '';
  }

  async function send() {
    if (!current) {
      return;
    }
    const mine = ++sequence;
    const form = new FormData();
    form.append('image', current.file, current.file.name || 'image');
    const headers = { Accept: 'application/json' };
    const token = $('token').value.trim();
    if (token) {
      headers.Authorization = 'Bearer ' + token;
    }
    clearError();
    $('answer').hidden = true;
    setStatus('Captioning ' + (current.file.name || 'the image') + '…');
    let response;
    let body = null;
    try {
      response = await fetch('/caption' + query(), { method: 'POST', body: form, headers });
      try {
        body = await response.json();
      } catch (e) {
        body = null;
      }
    } catch (e) {
      if (mine === sequence) {
        setStatus('');
        showError('Cannot reach the server.', String(e.message || e));
      }
      return;
    }
    if (mine !== sequence) {
      return;
    }
    if (response.ok && body) {
      setStatus('');
      show(body);
      return;
    }
    setStatus('');
    const status = response.status;
    const detail = body && body.error ? body.error : 'HTTP status ' + status + '.';
    let title = TITLES[status] || 'The request failed (HTTP ' + status + ').';
    const retry = response.headers.get('Retry-After');
    if ((status === 429 || status === 503) && retry) {
      title += ' Try again in ' + retry + ' s.';
    }
    if (status === 401) {
      $('token-option').hidden = false;
      $('token').focus();
    }
    showError(title, detail);
  }

  function formatScore(logProb) {
    return 'log-probability ' + logProb.toFixed(3) + ' (probability ' + Math.exp(logProb).toPrecision(3) + ')';
  }

  /** Shows a JSON answer of POST /caption; exported for tests of the rendering. */
  function show(body) {
    answer = body;
    selectedWord = -1;
    $('caption').textContent = body.caption;
    $('score').textContent = formatScore(body.score);

    const words = $('words');
    words.textContent = '';
    const attention = body.attention;
    $('words-block').hidden = !attention;
    if (attention) {
      body.tokens.forEach((word, i) => {
        const button = document.createElement('button');
        button.type = 'button';
        button.textContent = word;
        button.dataset.index = String(i);
        button.setAttribute('aria-pressed', 'false');
        button.addEventListener('mouseenter', () => selectWord(i));
        button.addEventListener('focus', () => selectWord(i));
        button.addEventListener('click', () => selectWord(i));
        words.appendChild(button);
      });
    }
    clearOverlay();

    const table = $('alternatives');
    const rows = table.tBodies[0];
    rows.textContent = '';
    const alternatives = body.alternatives || [];
    alternatives.forEach((alt, i) => {
      const tr = document.createElement('tr');
      const rank = document.createElement('td');
      rank.className = 'num';
      rank.textContent = String(i + 2);
      const text = document.createElement('td');
      text.textContent = alt.caption;
      const score = document.createElement('td');
      score.className = 'num';
      score.textContent = alt.score.toFixed(3);
      tr.append(rank, text, score);
      rows.appendChild(tr);
    });
    table.hidden = alternatives.length === 0;

    $('meta').textContent = 'model ' + body.model + ', ' + body.elapsed_ms + ' ms on the server';
    $('answer').hidden = false;
  }

  function clearOverlay() {
    overlay.width = 0;
    overlay.height = 0;
    delete overlay.dataset.word;
  }

  function selectWord(index) {
    selectedWord = index;
    for (const button of $('words').querySelectorAll('button')) {
      button.setAttribute('aria-pressed', String(Number(button.dataset.index) === index));
    }
    drawAttention();
  }

  /** Darkens the picture except where the model looked for the selected word. */
  function drawAttention() {
    const a = answer && answer.attention;
    if (!a || selectedWord < 0 || !preview.naturalWidth) {
      return;
    }
    const row = a.tokens[selectedWord];
    const shown = { w: preview.clientWidth, h: preview.clientHeight };
    overlay.width = shown.w;
    overlay.height = shown.h;
    overlay.style.width = shown.w + 'px';
    overlay.style.height = shown.h + 'px';
    const sx = shown.w / preview.naturalWidth;
    const sy = shown.h / preview.naturalHeight;
    const region = a.region || { x: 0, y: 0, width: preview.naturalWidth, height: preview.naturalHeight };

    const grid = document.createElement('canvas');
    grid.width = a.width;
    grid.height = a.height;
    const gridContext = grid.getContext('2d');
    const pixels = gridContext.createImageData(a.width, a.height);
    const max = Math.max(...row) || 1;
    for (let i = 0; i < row.length; i++) {
      pixels.data[4 * i + 3] = Math.round(215 * (1 - row[i] / max));
    }
    gridContext.putImageData(pixels, 0, 0);

    const context = overlay.getContext('2d');
    context.clearRect(0, 0, shown.w, shown.h);
    context.fillStyle = 'rgba(0, 0, 0, 0.85)';
    context.fillRect(0, 0, shown.w, shown.h);
    const x = region.x * sx;
    const y = region.y * sy;
    const w = region.width * sx;
    const h = region.height * sy;
    context.clearRect(x, y, w, h);
    context.imageSmoothingEnabled = true;
    context.drawImage(grid, x, y, w, h);
    overlay.dataset.word = String(selectedWord);
  }

  function wire() {
    const drop = $('drop');
    $('file').addEventListener('change', (e) => choose(e.target.files[0]));
    drop.addEventListener('dragover', (e) => {
      e.preventDefault();
      drop.classList.add('over');
    });
    drop.addEventListener('dragleave', () => drop.classList.remove('over'));
    drop.addEventListener('drop', (e) => {
      e.preventDefault();
      drop.classList.remove('over');
      if (e.dataTransfer && e.dataTransfer.files.length > 0) {
        choose(e.dataTransfer.files[0]);
      }
    });
    drop.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        $('file').click();
      }
    });
    $('options').addEventListener('submit', (e) => {
      e.preventDefault();
      send();
    });
    for (const id of ['beam', 'nbest', 'attention']) {
      $(id).addEventListener('change', () => send());
    }
    preview.addEventListener('error', () => {
      $('frame').hidden = true;
    });
    preview.addEventListener('load', () => drawAttention());
    window.addEventListener('resize', () => drawAttention());
  }

  window.captionerPage = { show };
  wire();
  loadHealth();
})();
