// Shows whether this server answers its health check, in plain words.
(function () {
  "use strict";
  var box = document.getElementById("health");
  if (!box) {
    return;
  }
  var title = box.querySelector("strong");
  var detail = box.querySelector("span");

  function show(state, heading, text) {
    box.setAttribute("data-state", state);
    title.textContent = heading;
    detail.textContent = text;
  }

  fetch("/health", { headers: { Accept: "application/json" }, cache: "no-store" })
    .then(function (response) {
      if (!response.ok) {
        throw new Error("HTTP " + response.status);
      }
      return response.json();
    })
    .then(function (health) {
      if (health.status !== "ok") {
        show("down", "This server reports a problem.", "Status: " + String(health.status));
        return;
      }
      var parts = ["Its database answered in " + health.db_latency_ms + " ms."];
      parts.push(health.public_minting_enabled
        ? "New agents can get a key on their own."
        : "New keys are issued by the operator only.");
      show("ok", "This server is up.", parts.join(" "));
    })
    .catch(function () {
      show("down", "This server did not answer its health check.", "Try again in a moment.");
    });
})();
