// The programme builder (web/pages_programme.py): edits a draft in the page and saves it
// through /api/clinic/...; the server checks everything again (safety verdicts included).
const root = document.getElementById("builder");
const patient = root.dataset.patient;
const base = `/api/clinic/patients/${patient}/programme`;
const csrf = document.querySelector('meta[name="csrf-token"]').content;
const status = root.querySelector(".builder-status");
let view = null;
let draft = null;
let article = null; // the last article read for a draft (POST .../programme/from-article)

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "on") for (const [ev, fn] of Object.entries(v)) node.addEventListener(ev, fn);
    else if (v !== null && v !== undefined && v !== false) node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children) if (c !== null) node.append(c);
  return node;
}

async function call(method, url, body) {
  const answer = await fetch(url, {
    method,
    headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin",
  });
  const data = await answer.json().catch(() => ({}));
  if (!answer.ok) throw new Error(data.detail?.message || `${answer.status}`);
  return data;
}

const entry = (id) => view.library.find((e) => e.id === id);

// The picture of the version the patient will see for this item, as their plan picks it
// (clinic/programmes.py to_plan): the chosen modification's version, the one their verdict
// applies when it is modified and given with no modification and no reason, else the usual.
function figureOf(item, ex) {
  let words = item.modification;
  if (!words && ex.verdict.status === "modified" && !item.modification_reason) words = ex.verdict.modifications.join(" ");
  if (!words) return ex.figure_url;
  return ex.version_figures[words] ?? ex.modified_figure_url;
}

function fromItem(item) {
  const copy = { times_per_day: 1, hold_seconds: 0, rest_seconds: 0, per_side: false, ...item };
  for (const k of ["modification", "modification_reason", "note"]) if (!copy[k]) delete copy[k];
  return copy;
}

function startFrom(programme) {
  draft = {
    note: programme.note || "",
    days_per_week: programme.days_per_week || 3,
    review_date: programme.review_date || null,
    auto_progress: !!programme.auto_progress,
    items: programme.items.map(fromItem),
  };
  render();
}

function number(item, key, label, min, max) {
  return el("label", {}, label, el("input", {
    type: "number", min, max, value: item[key] ?? "", name: key,
    on: { change: (e) => { item[key] = e.target.value === "" ? null : Number(e.target.value); } },
  }));
}

function itemRow(item, index) {
  const ex = entry(item.exercise_id);
  const verdict = ex ? ex.verdict : { status: "excluded", reasons: ["unknown exercise"], modifications: [] };
  const move = (by) => () => {
    const to = index + by;
    if (to < 0 || to >= draft.items.length) return;
    [draft.items[index], draft.items[to]] = [draft.items[to], draft.items[index]];
    render();
  };
  const dose = el("div", { class: "dose" }, number(item, "sets", "Sets", 1, 10));
  if (ex && ex.counted) dose.append(number(item, "reps", "Reps", 1, 100), number(item, "hold_seconds", "Hold (s)", 0, 300));
  else dose.append(number(item, "duration_seconds", "Time (s)", 1, 3600));
  dose.append(number(item, "rest_seconds", "Rest (s)", 0, 600), number(item, "times_per_day", "Times a day", 1, 6));
  dose.append(el("label", {}, el("input", {
    type: "checkbox", checked: item.per_side, on: { change: (e) => { item.per_side = e.target.checked; } },
  }), " Each side"));
  const row = el("li", { class: `item verdict-${verdict.status}`, "data-index": index },
    el("img", { class: "item-figure", src: ex ? figureOf(item, ex) : "", alt: "", width: 64, height: 64 }),
    el("div", { class: "item-main" },
      el("strong", {}, ex ? ex.name : item.exercise_id), " ",
      el("span", { class: `badge ${verdict.status}` }, verdict.status),
      verdict.reasons.length ? el("p", { class: "reasons" }, verdict.reasons.join(" ")) : null,
      dose));
  const main = row.querySelector(".item-main");
  if (verdict.status === "modified") {
    // A new modification may be another version, drawn from its own poses: show its picture.
    const figure = () => { row.querySelector(".item-figure").src = figureOf(item, ex); };
    const select = el("select", { name: "modification", on: { change: (e) => { item.modification = e.target.value || undefined; figure(); } } },
      el("option", { value: "" }, "No modification (write why below)"));
    for (const m of verdict.modifications) select.append(el("option", { value: m, selected: item.modification === m }, m));
    main.append(el("label", {}, "Modification ", select), el("label", {}, "Why without it ",
      el("input", { type: "text", name: "modification_reason", value: item.modification_reason || "", maxlength: 1000,
        on: { change: (e) => { item.modification_reason = e.target.value || undefined; figure(); } } })));
  }
  main.append(el("label", {}, "Note for the patient ", el("input", {
    type: "text", value: item.note || "", maxlength: 1000, on: { change: (e) => { item.note = e.target.value || undefined; } },
  })));
  main.append(el("div", { class: "item-actions" },
    el("button", { type: "button", on: { click: move(-1) } }, "Up"),
    el("button", { type: "button", on: { click: move(1) } }, "Down"),
    el("button", { type: "button", class: "remove", on: { click: () => { draft.items.splice(index, 1); render(); } } }, "Remove")));
  return row;
}

function library() {
  const search = el("input", { type: "search", placeholder: "Search the library", "aria-label": "Search the library" });
  const category = el("select", { "aria-label": "Category" }, el("option", { value: "" }, "Any category"));
  for (const c of [...new Set(view.library.map((e) => e.category))].sort()) category.append(el("option", { value: c }, c));
  const list = el("ul", { class: "library" });
  const fill = () => {
    list.replaceChildren();
    const words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    for (const e of view.library) {
      const text = `${e.id} ${e.name} ${e.summary}`.toLowerCase();
      if (category.value && e.category !== category.value) continue;
      if (!words.every((w) => text.includes(w))) continue;
      const taken = draft.items.some((i) => i.exercise_id === e.id);
      const blocked = e.verdict.status === "excluded";
      list.append(el("li", { class: `verdict-${e.verdict.status}` },
        el("img", { src: e.figure_url, alt: "", width: 72, height: 30, loading: "lazy" }),
        el("div", {}, el("span", { class: "lib-name" }, `${e.name} `),
          el("span", { class: `badge ${e.verdict.status}` }, blocked ? "avoid" : e.verdict.status),
          // Why it may not be added, in words on the page (not only in a tooltip).
          blocked ? el("p", { class: "reasons" }, `Not for this patient: ${e.verdict.reasons.join("; ")}.`) : null),
        el("button", {
          type: "button", disabled: taken || blocked, "aria-label": `Add ${e.name}`,
          on: { click: () => {
            draft.items.push(fromItem({ exercise_id: e.id, sets: 2, reps: e.counted ? 8 : null,
              duration_seconds: e.counted ? null : 120 }));
            render();
          } },
        }, "Add")));
    }
  };
  search.addEventListener("input", fill);
  category.addEventListener("change", fill);
  fill();
  return el("div", { class: "library-panel" }, el("h3", {}, "Library"), search, category, list);
}

function payload() {
  return { ...draft, note: draft.note || null, review_date: draft.review_date || null };
}

// What the server would refuse about the exercises' safety verdicts, said before saving and
// pointing at the field to fix (the server checks it all again).
function unsafe() {
  for (const [i, item] of draft.items.entries()) {
    const ex = entry(item.exercise_id);
    if (!ex || ex.verdict.status === "excluded") {
      const why = ex ? ex.verdict.reasons.join("; ") : "it is not in the library";
      return { index: i, field: "button.remove", text: `${ex ? ex.name : item.exercise_id} may not be given to this patient: ${why}. Remove it.` };
    }
    if (ex.verdict.status === "modified" && !item.modification && !(item.modification_reason || "").trim()) {
      return { index: i, field: 'input[name="modification_reason"]',
        text: `${ex.name} needs a modification for this patient (${ex.verdict.reasons.join("; ")}): choose one under “Modification”, or write why it is given without one.` };
    }
  }
  return null;
}

// After a save, the page is loaded again: its summary of the current version and its open
// proposals are the server's, and it says what the save changed (pages_programme.py).
function saved_(version) {
  status.textContent = `Loading version ${version.version}…`;
  location.assign(`${location.pathname}?saved=${version.version}`);
}

async function save() {
  status.textContent = "Saving…";
  const problem = unsafe();
  if (problem) {
    status.textContent = `Not saved: ${problem.text}`;
    const field = root.querySelector(`li[data-index="${problem.index}"] ${problem.field}`);
    if (field) {
      // Said again beside the field, which may be far down the page from the status line.
      root.querySelector(".field-problem")?.remove();
      const note = el("p", { class: "field-problem", id: "field-problem" }, problem.text);
      (field.closest("label") || field.parentElement).after(note);
      field.setAttribute("aria-invalid", "true");
      field.setAttribute("aria-describedby", "field-problem");
      field.focus();
    }
    return;
  }
  try {
    const saved = await call("POST", base, { based_on: view.current ? view.current.version : null, programme: payload() });
    saved_(saved);
  } catch (err) { status.textContent = `Not saved: ${err.message}`; }
}

async function saveTemplate(name) {
  try {
    await call("POST", "/api/clinic/templates", { name, programme: payload() });
    status.textContent = `Kept as the template “${name}”.`;
  } catch (err) { status.textContent = `Not kept: ${err.message}`; }
}

async function settle(id, action) {
  try {
    const saved = await call("POST", `${base}/proposals/${id}`, { action });
    saved_(saved);
  } catch (err) { status.textContent = `Not saved: ${err.message}`; }
}

// --- a draft from an article the patient brought (issue 18) ---------------------------------

function doseWords(item) {
  const amount = item.reps ? `${item.reps} reps` : `${item.duration_seconds} s`;
  return `${item.sets} × ${amount}${item.hold_seconds ? `, hold ${item.hold_seconds} s` : ""}${item.per_side ? ", each side" : ""}`;
}

async function readArticle(text, file) {
  const body = new FormData();
  if (file.files[0]) body.append("file", file.files[0]);
  body.append("text", text.value);
  status.textContent = "Reading the article…";
  const answer = await fetch(`${base}/from-article`, {
    method: "POST", headers: { "X-CSRF-Token": csrf }, body, credentials: "same-origin",
  });
  const data = await answer.json().catch(() => ({}));
  const problem = data.detail ? [data.detail.message, data.detail.fix].filter(Boolean).join("; ") : `${answer.status}`;
  article = answer.ok ? { ...data, text: text.value } : { error: problem, text: text.value };
  status.textContent = answer.ok ? "" : `Could not read the article: ${problem}`;
  render();
}

function articlePanel() {
  const text = el("textarea", { id: "article-text", name: "article_text", rows: 5, maxlength: 200000 });
  text.value = article ? article.text : "";
  const file = el("input", { type: "file", id: "article-file", accept: ".html,.htm,.md,.txt,text/html,text/plain,text/markdown" });
  const box = el("details", { class: "from-article", open: !!article },
    el("summary", {}, "Start from an article"),
    el("p", {}, "Paste an article the patient brought, or upload the page they saved. backcoach finds the exercises it knows and the article's doses, and checks each one for this patient."),
    el("label", { for: "article-text" }, "The article's text"), text,
    el("label", { for: "article-file" }, "Or a saved page"), file,
    el("div", { class: "starts" }, el("button", { type: "button", on: { click: () => readArticle(text, file) } }, "Read the article")));
  if (!article) return box;
  if (article.error) {
    box.append(el("p", { class: "field-problem", role: "alert" }, `Could not read the article: ${article.error}`));
    return box;
  }
  box.append(el("h4", {}, article.title || "The article"));
  if (!article.exercises.length) box.append(el("p", {}, "No exercise backcoach knows was found in it."));
  const list = el("ul", { class: "article-exercises" });
  for (const e of article.exercises) {
    const blocked = e.status === "excluded";
    list.append(el("li", { class: `verdict-${e.status}` },
      el("strong", {}, e.name), " ", el("span", { class: `badge ${e.status}` }, blocked ? "left out" : e.status),
      e.dose_text ? el("p", { class: "reasons" }, `The article says: “${e.dose_text}”`) : null,
      // The planner's own verdict for this patient (services.suits), in its words.
      blocked ? el("p", { class: "reasons" }, `Left out of the draft: ${e.reasons.join(" ")}`)
        : el("p", {}, `In the draft: ${doseWords(e.item)}.`),
      !blocked && e.reasons.length ? el("p", { class: "reasons" }, e.reasons.join(" ")) : null));
  }
  box.append(list);
  if (article.unmatched.length) box.append(el("p", { class: "reasons" }, `Not in backcoach's library, so not in the draft: ${article.unmatched.join(", ")}.`));
  box.append(el("div", { class: "starts" }, el("button", {
    type: "button", class: "primary", disabled: !article.items.length,
    on: { click: () => {
      startFrom({ ...draft, items: article.items });
      status.textContent = `Draft started from “${article.title || "the article"}” (${article.items.length} exercises): check it, then save it below.`;
    } },
  }, "Start from these exercises")));
  return box;
}

function render() {
  const area = root.querySelector(".builder-area") || el("div", { class: "builder-area" });
  area.replaceChildren();
  if (!view.screen_allows_sessions) area.append(el("p", { class: "warning" },
    `The patient gets no session until their warning-sign check allows one. What the app tells them: “${view.screen_reason}”`));
  const starts = el("div", { class: "starts" },
    el("button", { type: "button", disabled: !view.suggested.length, on: { click: () => startFrom({ items: view.suggested.map((s) => s.item) }) } },
      "Start from backcoach's plan"));
  for (const t of view.templates || []) starts.append(el("button", { type: "button", on: { click: () => startFrom(t.programme) } }, `Start from “${t.name}”`));
  area.append(starts, articlePanel());
  if (view.suggested.length) {
    const why = el("details", {}, el("summary", {}, "Why backcoach suggests these"));
    for (const s of view.suggested) why.append(el("p", {}, s.reason));
    area.append(why);
  }
  for (const p of view.proposals) {
    const dose = Object.entries(p.dose).map(([k, v]) => `${k.replace("_seconds", " (s)")} ${v}`).join(", ");
    const name = entry(p.exercise_id)?.name || p.exercise_id;
    area.append(el("p", { class: "proposal" }, `${name}: ${p.action === "less" ? "lighter" : "harder"} (${dose}). ${p.reason} `,
      el("button", { type: "button", on: { click: () => settle(p.decision_id, "approve") } }, "Approve"),
      el("button", { type: "button", on: { click: () => settle(p.decision_id, "dismiss") } }, "Dismiss")));
  }
  const items = el("ol", { class: "items" });
  draft.items.forEach((item, i) => items.append(itemRow(item, i)));
  area.append(el("div", { class: "columns" }, el("div", {}, el("h3", {}, "Exercises"), items), library()));
  const days = el("input", { type: "number", min: 1, max: 7, value: draft.days_per_week,
    on: { change: (e) => { draft.days_per_week = Number(e.target.value); } } });
  const review = el("input", { type: "date", name: "review_date", min: view.today, max: view.review_latest,
    value: draft.review_date || "", on: { change: (e) => { draft.review_date = e.target.value || null; } } });
  const note = el("textarea", { maxlength: 1000, rows: 3, on: { change: (e) => { draft.note = e.target.value; } } });
  note.value = draft.note;
  const auto = el("input", { type: "checkbox", checked: draft.auto_progress, on: { change: (e) => { draft.auto_progress = e.target.checked; } } });
  const name = el("input", { type: "text", maxlength: 120, placeholder: "Template name", "aria-label": "Template name" });
  area.append(el("label", {}, "Days a week ", days),
    el("label", {}, "Review date (optional, up to a year ahead) ", review),
    el("label", {}, "Note for the patient ", note),
    el("label", {}, auto, " Apply backcoach's dose progression automatically"),
    el("div", { class: "save" },
      el("button", { type: "button", class: "primary", on: { click: save } }, view.current ? "Save and assign a new version" : "Save and assign"),
      name, el("button", { type: "button", on: { click: () => name.value.trim() && saveTemplate(name.value.trim()) } }, "Save as template")));
  if (view.versions.length) {
    const list = el("ol", { class: "versions", reversed: true });
    for (const v of view.versions) list.append(el("li", {}, `Version ${v.version}, ${v.created_at.slice(0, 16).replace("T", " ")}, ${v.created_by_name || ""}: ${v.changes.join("; ")}`));
    area.append(el("h3", {}, "Versions"), list);
  }
  root.append(area);
}

async function load(fresh = true) {
  view = await call("GET", base);
  // The page's own list of proposals is for reading without the script; here they come with
  // their buttons.
  document.getElementById("proposals")?.setAttribute("hidden", "");
  view.templates = await call("GET", "/api/clinic/templates").catch(() => []);
  if (fresh || !draft || view.current) startFrom(view.current ? view.current.programme : { items: view.suggested.map((s) => s.item) });
  else render();
}

load().catch((err) => { status.textContent = `Could not load the programme: ${err.message}`; });
