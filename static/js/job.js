// Polls a job's status and updates the progress bar; the page works without it too
// (a <noscript> meta refresh reloads it).
(function () {
  var box = document.querySelector(".job[data-status-url]");
  if (!box || box.dataset.finished === "1") return;
  var bar = box.querySelector(".job__progress");
  var percent = box.querySelector(".job__percent");
  var status = box.querySelector(".job__status");
  var message = box.querySelector(".job__message");
  var download = box.querySelector(".job__download");
  var result = box.querySelector(".job__result");
  var restart = box.querySelector(".job__restart");
  function poll() {
    fetch(box.dataset.statusUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.json(); })
      .then(function (data) {
        bar.value = data.progress;
        percent.textContent = data.progress + "%";
        status.textContent = data.status_label;
        message.textContent = data.message;
        if (data.status === "failed") message.classList.add("message", "message--error");
        if (data.finished) {
          if (download && data.download_url) download.hidden = false;
          if (restart && data.restartable) restart.hidden = false;
          if (data.result_url) {
            var link = result.querySelector("a");
            link.href = data.result_url;
            if (data.status === "failed") link.textContent = link.dataset.failedLabel;
            result.hidden = false;
            if (box.dataset.autoOpen === "1" && data.status === "succeeded") {
              window.location.href = data.result_url;
            }
          }
          return;
        }
        setTimeout(poll, 1000);
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  poll();
})();
