// The in-place chart component of aijri_ui/plot.py (Streamlit components v2).
// One plotly graph per chart key; each new figure goes to Plotly.react with the same config,
// so plotly redraws what changed instead of building the chart anew. The figure carries its
// own look (its layout's template, from aijri_core.figures.theme). Public plotly.js API only:
// Plotly.react, Plotly.relayout, Plotly.purge and the graph's "plotly_click" event.

const CONFIG = {displayModeBar: false, responsive: false};
let loading = null;
// The reveal marks already acted on (one scroll per mark, even when the chart is drawn anew).
const revealed = new Set();

function plotlyReady(src) {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const s = document.createElement("script");
      s.src = new URL(src, window.location.href).href;
      s.onload = () => resolve(window.Plotly);
      s.onerror = () => { loading = null; reject(new Error("The chart library could not be loaded; reload the page.")); };
      document.head.appendChild(s);
    });
  }
  return loading;
}

function plainText(title) {
  return title.replace(/<[^>]*>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

function draw(gd, data) {
  plotlyReady(data.src).then((Plotly) => {
    const state = gd.__aijri;
    // Only the newest figure, and only once (runs can come faster than frames).
    if (state.spec !== data.spec || state.drawnSpec === data.spec) return;
    state.drawnSpec = data.spec;
    const fig = JSON.parse(data.spec);
    const layout = fig.layout || {};
    // The width this graph is drawn at: kept here, so a resize compares with what was asked for.
    state.width = Math.max(Math.round(gd.clientWidth), 100);
    layout.width = state.width;
    if (data.clickable) Object.assign(layout, {clickmode: "event", hovermode: "closest", dragmode: false});
    const title = layout.title && layout.title.text;
    if (title) gd.setAttribute("aria-label", plainText(title));
    Plotly.react(gd, fig.data || [], layout, CONFIG).then(() => {
      if (state.drawnSpec === state.spec) gd.removeAttribute("data-pending");
      // Scrolled into view once per new mark (a click elsewhere asked for this chart); "nearest"
      // leaves the page where it is when the chart is already in view.
      if (data.reveal && !revealed.has(data.reveal)) {
        revealed.add(data.reveal);
        gd.scrollIntoView({block: "nearest"});
      }
    });
    if (!state.bound) {
      state.bound = true;
      gd.on("plotly_click", (ev) => {
        const now = gd.__aijri;
        // A point's id when its trace gives ids (the board's role keys), else its y (the tornado's rows).
        if (now.clickable) now.setTriggerValue("click", (ev.points || []).map((p) => String(p.id !== undefined ? p.id : p.y)));
      });
      state.resize = new ResizeObserver(() => {
        const w = Math.round(gd.clientWidth);
        if (w > 0 && state.width !== undefined && Math.abs(state.width - w) > 1) {
          state.width = w;
          Plotly.relayout(gd, {width: w});
        }
      });
      state.resize.observe(gd);
    }
  }).catch((err) => {
    gd.removeAttribute("data-pending");
    gd.textContent = String((err && err.message) || err);
  });
}

export default function (component) {
  const {data, parentElement, setTriggerValue} = component;
  let gd = parentElement.querySelector(":scope > .aijri-plot");
  if (!gd) {
    gd = document.createElement("div");
    gd.className = "aijri-plot";
    gd.setAttribute("role", "img");
    parentElement.appendChild(gd);
    gd.__aijri = {};
  }
  Object.assign(gd.__aijri, {spec: data.spec, setTriggerValue, clickable: data.clickable});
  // Marked until drawn (a figure that came back before the one between was drawn is drawn).
  gd.toggleAttribute("data-pending", gd.__aijri.drawnSpec !== data.spec);
  gd.classList.toggle("aijri-clickable", !!data.clickable);
  // After the next paint: the text that came with the same run (the score) shows first.
  requestAnimationFrame(() => setTimeout(() => draw(gd, data), 0));
  // Streamlit calls this when the element leaves the page (and for a superseded call,
  // while the chart is still on the page: then nothing is dropped).
  return () => {
    if (gd.isConnected) return;
    if (gd.__aijri.resize) gd.__aijri.resize.disconnect();
    if (window.Plotly) window.Plotly.purge(gd);
  };
}
