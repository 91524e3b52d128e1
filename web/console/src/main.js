// quiverd's web console: a single page with hash routes (#/datasets, #/dataset/NAME,
// #/server, #/login). Data comes from /api/ only; see docs/console.md.
import "uplot/dist/uPlot.min.css";
import "./style.css";
import * as api from "./api.js";
import { el } from "./format.js";
import { renderDatasets } from "./datasets_page.js";
import { renderDataset } from "./dataset_page.js";
import { renderServer, stopServer } from "./server_page.js";

const main = document.getElementById("main");
let me = null;

function showError(error) {
  main.replaceChildren(el("p", { class: "error", role: "alert" }, error.message || String(error)));
}

function renderLogin(message) {
  const user = el("input", { id: "login-user", name: "user", autocomplete: "username", required: true });
  const password = el("input", { id: "login-password", name: "password", type: "password",
    autocomplete: "current-password", required: true });
  const status = el("p", { class: "error", id: "login-error", role: "alert" }, message || "");
  const form = el("form", { class: "card login", id: "login-form" },
    el("h1", {}, "Log in to quiver"),
    el("label", {}, "User", user),
    el("label", {}, "Password", password),
    el("button", { type: "submit", id: "login-submit" }, "Log in"),
    status);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      me = await api.post("/api/login", { user: user.value, password: password.value });
      updateHeader();
      // A change of hash routes by itself (hashchange); the same hash does not.
      if (location.hash === "#/datasets") route();
      else location.hash = "#/datasets";
    } catch (error) {
      status.textContent = error.message;
    }
  });
  main.replaceChildren(form);
  user.focus();
}

function updateHeader() {
  const who = document.getElementById("who");
  const logout = document.getElementById("logout");
  if (me && me.user) {
    who.textContent = `${me.user} (${me.role})`;
    logout.hidden = false;
  } else {
    who.textContent = me && !me.auth ? "no authentication" : "";
    logout.hidden = true;
  }
}

async function route() {
  stopServer();
  const hash = location.hash || "#/datasets";
  for (const link of document.querySelectorAll("[data-nav]")) {
    link.classList.toggle("active", hash.startsWith(`#/${link.dataset.nav}`));
  }
  if (me && me.auth && !me.authenticated && hash !== "#/login") {
    location.hash = "#/login";
    return;
  }
  try {
    if (hash === "#/login") renderLogin();
    else if (hash.startsWith("#/dataset/")) {
      await renderDataset(main, decodeURIComponent(hash.slice("#/dataset/".length)), me);
    } else if (hash.startsWith("#/server")) await renderServer(main);
    else await renderDatasets(main, decodeURIComponent(hash.split("?q=")[1] || ""));
  } catch (error) {
    if (error.status === 401) {
      me = await api.session();
      updateHeader();
      renderLogin("Your session has ended: log in again.");
    } else {
      showError(error);
    }
  }
}

document.getElementById("logout").addEventListener("click", async () => {
  try {
    me = await api.post("/api/logout", {});
  } catch (error) {
    me = await api.session();
  }
  updateHeader();
  if (location.hash === "#/login") route();
  else location.hash = "#/login";
});

window.addEventListener("hashchange", route);
(async () => {
  try {
    me = await api.session();
  } catch (error) {
    showError(error);
    return;
  }
  updateHeader();
  route();
})();
