// procurewatch review UI: token, upload, job polling, review decisions.
// Every value from the server is written with textContent, never as HTML.
(function () {
  "use strict";
  var TOKEN_KEY = "procurewatch-token";
  var REVIEWER_KEY = "procurewatch-reviewer";
  var root = document.body.dataset.root || "";

  function token() {
    return sessionStorage.getItem(TOKEN_KEY) || "";
  }

  function say(el, text, kind) {
    if (!el) return;
    el.textContent = text;
    el.className = el.className.replace(/\b(error|ok)\b/g, "").trim() + (kind ? " " + kind : "");
  }

  async function call(method, url, body) {
    var headers = { Accept: "application/json" };
    if (token()) headers.Authorization = "Bearer " + token();
    if (body && !(body instanceof FormData)) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(body);
    }
    var response = await fetch(url, { method: method, headers: headers, body: body, credentials: "same-origin" });
    var data = null;
    try { data = await response.json(); } catch (e) { data = null; }
    if (!response.ok) {
      var message = (data && data.error) || response.status + " " + response.statusText;
      if (response.status === 401) message += " (paste the write token at the top right)";
      throw new Error(message);
    }
    return data;
  }

  function setupToken() {
    var form = document.getElementById("token-form");
    var input = document.getElementById("token");
    var state = document.getElementById("token-state");
    if (!form) return;
    say(state, token() ? "token kept for this tab" : "no token yet");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var value = input.value.trim();
      if (value) sessionStorage.setItem(TOKEN_KEY, value); else sessionStorage.removeItem(TOKEN_KEY);
      input.value = "";
      say(state, value ? "token kept for this tab" : "token removed", value ? "ok" : "");
    });
  }

  function setupScreen() {
    var form = document.getElementById("screen-form");
    if (!form) return;
    var status = document.getElementById("screen-status");
    form.addEventListener("submit", async function (event) {
      event.preventDefault();
      var files = document.getElementById("screen-files").files;
      if (!files.length) { say(status, "choose one or more files first", "error"); return; }
      var data = new FormData();
      for (var i = 0; i < files.length; i++) data.append("files", files[i], files[i].name);
      form.querySelectorAll("input[data-role]").forEach(function (input) {
        if (input.value.trim()) data.append("map", input.dataset.role + "=" + input.value.trim());
      });
      var currency = document.getElementById("screen-currency");
      if (currency && currency.value.trim()) data.append("currency", currency.value.trim());
      var sheet = document.getElementById("screen-sheet");
      if (sheet && sheet.value.trim()) data.append("sheet", sheet.value.trim());
      say(status, "uploading " + files.length + " file(s)…");
      try {
        var job = await call("POST", form.dataset.endpoint, data);
        say(status, "job " + job.job_id + " " + job.status, "ok");
        window.location.href = root + "/ui/jobs/" + encodeURIComponent(job.job_id);
      } catch (error) {
        say(status, "could not start: " + error.message, "error");
      }
    });
  }

  function setupJob() {
    var box = document.getElementById("job");
    if (!box) return;
    var status = document.getElementById("job-status");
    async function poll() {
      var job;
      try {
        job = await call("GET", box.dataset.endpoint);
      } catch (error) {
        say(document.getElementById("job-error"), error.message, "error");
        return;
      }
      status.textContent = job.status;
      status.className = "badge job-" + job.status;
      say(document.getElementById("job-error"), job.error || "", job.error ? "error" : "");
      say(document.getElementById("job-warning"), job.warning || "");
      if (job.summary) {
        var s = job.summary;
        say(document.getElementById("job-summary"), s.records.toLocaleString() + " records, " +
          s.flagged_records.toLocaleString() + " flagged, " + s.hits.toLocaleString() + " hits (" +
          s.hits_in_force.toLocaleString() + " with a ban in force), " +
          s.rejected_rows.toLocaleString() + " rows rejected");
      }
      if (job.status === "done" && job.run_id) {
        var run = encodeURIComponent(job.run_id);
        document.getElementById("open-hits").href = root + "/ui/runs/" + run;
        document.getElementById("open-report").href = root + "/runs/" + run + "/files/report.html";
        document.getElementById("job-links").hidden = false;
      } else if (job.status === "queued" || job.status === "running") {
        window.setTimeout(poll, 700);
      }
    }
    if (status.textContent !== "done" && status.textContent !== "failed") poll();
  }

  function setupReview() {
    var reviewer = document.getElementById("reviewer");
    if (!reviewer) return;
    reviewer.value = localStorage.getItem(REVIEWER_KEY) || "";
    reviewer.addEventListener("change", function () {
      localStorage.setItem(REVIEWER_KEY, reviewer.value.trim());
    });
    document.querySelectorAll("article.hit").forEach(function (hit) {
      var form = hit.querySelector("form.decide");
      var msg = hit.querySelector("[data-role=msg]");
      form.addEventListener("submit", function (event) { event.preventDefault(); });
      form.querySelectorAll("button[data-decision]").forEach(function (button) {
        button.addEventListener("click", async function () {
          var body = {
            run_id: hit.dataset.runId,
            decision: button.dataset.decision,
            reason: form.elements.reason.value.trim(),
            reviewer: reviewer.value.trim(),
            rule: button.dataset.decision === "dismiss" && form.elements.rule.checked
          };
          if (!body.reviewer) { say(msg, "enter your name as reviewer first", "error"); reviewer.focus(); return; }
          if (body.decision === "dismiss" && !body.reason) { say(msg, "a dismissal needs a reason", "error"); return; }
          say(msg, "saving…");
          try {
            var result = await call("POST", hit.dataset.endpoint, body);
            var review = result.review;
            var badge = hit.querySelector("[data-role=status]");
            badge.textContent = review.label;
            hit.className = "hit status-" + review.status;
            say(hit.querySelector("[data-role=decided]"), review.label + " by " + review.reviewer +
              (review.reason ? ": " + review.reason : ""));
            say(msg, "saved", "ok");
          } catch (error) {
            say(msg, error.message, "error");
          }
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupToken();
    setupScreen();
    setupJob();
    setupReview();
  });
})();
