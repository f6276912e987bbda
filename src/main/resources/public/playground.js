// The API playground: reads /openapi.json, builds a form for the chosen operation and sends it
// to this same origin with fetch. No dependencies.
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  var spec = null;
  var operations = [];
  var current = null;

  function resolve(node) {
    // Follows local "$ref"s ("#/components/…") until a concrete object is reached.
    while (node && node.$ref) {
      node = node.$ref.replace(/^#\//, "").split("/").reduce(function (at, part) {
        return at && at[part];
      }, spec);
    }
    return node || {};
  }

  function exampleFor(schema, depth) {
    schema = resolve(schema);
    if (schema.allOf) { return exampleFor(schema.allOf[0], depth); }
    if (schema.anyOf) { return exampleFor(schema.anyOf[0], depth); }
    if (schema.default !== undefined) { return schema.default; }
    if (schema.enum) { return schema.enum[0]; }
    var type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
    if (type === "object" && depth < 3) {
      var out = {};
      (schema.required || []).forEach(function (name) {
        out[name] = exampleFor((schema.properties || {})[name] || {}, depth + 1);
      });
      return out;
    }
    if (type === "object") { return {}; }
    if (type === "array") { return []; }
    if (type === "integer" || type === "number") { return schema.minimum !== undefined ? schema.minimum : 0; }
    if (type === "boolean") { return false; }
    return "";
  }

  function collectOperations() {
    Object.keys(spec.paths).forEach(function (path) {
      var item = spec.paths[path];
      ["get", "post", "put", "patch", "delete"].forEach(function (method) {
        if (!item[method]) { return; }
        var op = item[method];
        var security = (op.security || spec.security || []).map(function (s) { return Object.keys(s)[0]; });
        operations.push({
          path: path, method: method.toUpperCase(), op: op,
          tag: (op.tags && op.tags[0]) || "Other",
          params: (op.parameters || []).map(resolve),
          apiKey: security.indexOf("ApiKeyAuth") >= 0,
          admin: security.indexOf("AdminToken") >= 0
        });
      });
    });
  }

  function fillSelect() {
    var select = $("operation");
    select.textContent = "";
    var groups = {};
    operations.forEach(function (entry, index) {
      if (!groups[entry.tag]) {
        groups[entry.tag] = document.createElement("optgroup");
        groups[entry.tag].label = entry.tag;
        select.appendChild(groups[entry.tag]);
      }
      var option = document.createElement("option");
      option.value = String(index);
      option.textContent = entry.op.summary + (entry.op.deprecated ? " (deprecated)" : "") +
        "  —  " + entry.method + " " + entry.path;
      groups[entry.tag].appendChild(option);
    });
    select.disabled = false;
    $("send").disabled = false;
  }

  function field(param) {
    var wrap = document.createElement("div");
    var label = document.createElement("label");
    var input = document.createElement("input");
    input.id = "param-" + param.in + "-" + param.name;
    input.className = "mono";
    input.dataset.name = param.name;
    input.dataset.in = param.in;
    input.required = !!param.required;
    var schema = resolve(param.schema);
    if (schema.default !== undefined) { input.placeholder = String(schema.default); }
    label.htmlFor = input.id;
    label.textContent = param.name + " ";
    var hint = document.createElement("small");
    hint.textContent = "(" + param.in + (param.required ? ", required" : "") +
      (param.deprecated ? ", deprecated" : "") + ")" + (param.description ? " " + param.description : "");
    label.appendChild(hint);
    wrap.appendChild(label);
    wrap.appendChild(input);
    return wrap;
  }

  function showOperation(index) {
    current = operations[index];
    var op = current.op;
    var route = $("route");
    route.hidden = false;
    route.textContent = "";
    var verb = document.createElement("span");
    verb.className = "verb";
    verb.textContent = current.method;
    route.appendChild(verb);
    route.appendChild(document.createTextNode(current.path));
    route.classList.toggle("deprecated", !!op.deprecated);
    $("description").textContent = op.description || "";

    var params = $("params");
    params.textContent = "";
    current.params.forEach(function (param) {
      if (param.in === "header" && param.name === "Idempotency-Key") { return; }
      params.appendChild(field(param));
    });

    var bodySchema = op.requestBody && op.requestBody.content &&
      op.requestBody.content["application/json"] && op.requestBody.content["application/json"].schema;
    $("body-box").hidden = !bodySchema;
    if (bodySchema) {
      var resolved = resolve(bodySchema);
      var optional = Object.keys(resolved.properties || {}).filter(function (name) {
        return (resolved.required || []).indexOf(name) < 0;
      });
      $("body").value = JSON.stringify(exampleFor(bodySchema, 0), null, 2);
      $("body-hint").textContent = optional.length ? "(optional fields: " + optional.join(", ") + ")" : "";
    }
    $("idem-box").hidden = ["POST", "PATCH", "PUT", "DELETE"].indexOf(current.method) < 0;
    $("admin-box").hidden = !current.admin;
  }

  function buildRequest() {
    var path = current.path;
    var query = [];
    var headers = { Accept: "application/json" };
    var inputs = $("params").querySelectorAll("input");
    for (var i = 0; i < inputs.length; i++) {
      var input = inputs[i];
      var value = input.value.trim();
      if (input.dataset.in === "path") {
        if (!value) { throw new Error("Fill in the path parameter '" + input.dataset.name + "'."); }
        path = path.replace("{" + input.dataset.name + "}", encodeURIComponent(value));
      } else if (value && input.dataset.in === "query") {
        query.push(encodeURIComponent(input.dataset.name) + "=" + encodeURIComponent(value));
      } else if (value && input.dataset.in === "header") {
        headers[input.dataset.name] = value;
      }
    }
    var key = $("api-key").value.trim();
    if (current.apiKey && key) { headers["X-API-Key"] = key; }
    var token = $("admin-token").value.trim();
    if (current.admin && token) { headers["X-Admin-Token"] = token; }
    var idem = $("idempotency-key").value.trim();
    if (!$("idem-box").hidden && idem) { headers["Idempotency-Key"] = idem; }
    var init = { method: current.method, headers: headers, cache: "no-store" };
    if (!$("body-box").hidden && $("body").value.trim()) {
      headers["Content-Type"] = "application/json";
      init.body = $("body").value;
    }
    return { url: path + (query.length ? "?" + query.join("&") : ""), init: init };
  }

  function showResponse(response, text, elapsed) {
    $("result").hidden = false;
    var status = $("status");
    status.dataset.ok = String(response.ok);
    status.textContent = response.status + " " + response.statusText + "  ·  " + elapsed + " ms";
    var lines = [];
    response.headers.forEach(function (value, name) { lines.push(name + ": " + value); });
    $("response-headers").textContent = lines.sort().join("\n");
    var pretty = text;
    try { pretty = JSON.stringify(JSON.parse(text), null, 2); } catch (ignored) { /* not JSON */ }
    $("response-body").textContent = pretty || "(empty body)";
    if (response.ok && current.path === "/v1/keys" && current.method === "POST") {
      try { $("api-key").value = JSON.parse(text).key || $("api-key").value; } catch (ignored) { /* keep */ }
    }
  }

  function send(event) {
    event.preventDefault();
    if (!current) { return; }
    var request;
    try {
      request = buildRequest();
    } catch (problem) {
      $("result").hidden = false;
      $("status").dataset.ok = "false";
      $("status").textContent = problem.message;
      $("response-headers").textContent = "";
      $("response-body").textContent = "";
      return;
    }
    var started = Date.now();
    $("send").disabled = true;
    fetch(request.url, request.init)
      .then(function (response) {
        return response.text().then(function (text) { showResponse(response, text, Date.now() - started); });
      })
      .catch(function (problem) {
        $("result").hidden = false;
        $("status").dataset.ok = "false";
        $("status").textContent = "Request failed: " + problem.message;
      })
      .then(function () { $("send").disabled = false; });
  }

  var keyInput = $("api-key");
  if (keyInput.dataset.demoKey && keyInput.dataset.demoKey.indexOf("{{") !== 0) {
    keyInput.value = keyInput.dataset.demoKey;
  }
  $("operation").addEventListener("change", function (e) { showOperation(Number(e.target.value)); });
  $("playground").addEventListener("submit", send);

  fetch("/openapi.json", { headers: { Accept: "application/json" } })
    .then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    })
    .then(function (loaded) {
      spec = loaded;
      collectOperations();
      fillSelect();
      showOperation(0);
    })
    .catch(function (problem) {
      $("operation").textContent = "";
      var option = document.createElement("option");
      option.textContent = "Could not load /openapi.json (" + problem.message + ")";
      $("operation").appendChild(option);
    });
})();
