// Progressive enhancement only: the larger-text links work without this script (they set a cookie
// server-side and reload); with it, the size switches in place and the cookie is still written.
document.addEventListener("click", function (event) {
  var link = event.target.closest("a.text-toggle");
  if (!link) return;
  event.preventDefault();
  var large = link.dataset.size === "large";
  document.documentElement.classList.toggle("text-large", large);
  document.cookie = "text_size=" + (large ? "large" : "normal") + "; path=/; max-age=31536000; SameSite=Lax";
  link.dataset.size = large ? "normal" : "large";
  link.textContent = large ? "标准字号" : "大字号";
});
