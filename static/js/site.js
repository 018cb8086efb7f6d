// Progressive enhancement only: the larger-text links work without this script (they set a cookie
// server-side and reload); with it, the size switches in place and the cookie is still written.
document.addEventListener("click", function (event) {
  var link = event.target.closest("a.text-toggle");
  if (!link) return;
  event.preventDefault();
  var large = link.dataset.size === "large";
  document.documentElement.classList.toggle("text-large", large);
  // Secure over HTTPS, as the server sets it in production (an HTTP development server could not read it back).
  var secure = location.protocol === "https:" ? "; Secure" : "";
  document.cookie = "text_size=" + (large ? "large" : "normal") + "; path=/; max-age=31536000; SameSite=Lax" + secure;
  link.dataset.size = large ? "normal" : "large";
  link.textContent = large ? "标准字号" : "大字号";
});

// Suggestions as you type, for any search box that names a suggest URL. Without this script the
// form still submits normally; with it, matching titles and plan words appear under the box.
(function () {
  var input = document.querySelector("input[data-suggest-url]");
  if (!input || !window.fetch) return;
  var list = document.getElementById(input.getAttribute("aria-controls"));
  var timer = null;
  var latest = 0;
  function hide() { list.hidden = true; list.innerHTML = ""; input.setAttribute("aria-expanded", "false"); }
  function show(items) {
    list.innerHTML = "";
    items.forEach(function (item) {
      var li = document.createElement("li");
      li.setAttribute("role", "option");
      var a = document.createElement("a");
      a.textContent = item.label;  // textContent: never HTML from the server
      a.href = item.url || ("?q=" + encodeURIComponent(item.label));
      li.appendChild(a);
      list.appendChild(li);
    });
    list.hidden = items.length === 0;
    input.setAttribute("aria-expanded", items.length ? "true" : "false");
  }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    var q = input.value.trim();
    if (!q) { hide(); return; }
    timer = setTimeout(function () {
      var ticket = ++latest;
      fetch(input.dataset.suggestUrl + "?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (data) { if (ticket === latest) show(data.suggestions || []); })
        .catch(hide);
    }, 150);
  });
  input.addEventListener("keydown", function (e) { if (e.key === "Escape") hide(); });
  document.addEventListener("click", function (e) { if (!list.contains(e.target) && e.target !== input) hide(); });
})();

// The receipt's print button: shown only where a script can print (the download link always works).
(function () {
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();

// reCAPTCHA without inline scripts (django-recaptcha's own templates are overridden under
// templates/django_recaptcha/). v2: Google's script calls this once the box is ticked. v3: the
// token is fetched when the form is submitted, then the form is sent.
window.portalCaptchaSolved = function () {};
(function () {
  document.querySelectorAll("input.g-recaptcha[data-action]").forEach(function (input) {
    var form = input.form;
    if (!form) return;
    form.addEventListener("submit", function (event) {
      if (input.value || !window.grecaptcha) return;
      event.preventDefault();
      window.grecaptcha.ready(function () {
        window.grecaptcha.execute(input.dataset.sitekey, { action: input.dataset.action }).then(function (token) {
          input.value = token;
          form.submit();
        });
      });
    });
  });
})();
