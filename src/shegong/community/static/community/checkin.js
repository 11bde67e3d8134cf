// The canteen's check-in page: where the browser has a camera and the
// BarcodeDetector API, a button scans the elder's QR card and submits its code;
// elsewhere the typed code (always there) is the way.
(function () {
  "use strict";
  var box = document.querySelector("[data-scanner]");
  var form = document.querySelector('[data-testid="check-in-form"]');
  if (!box || !form) return;
  var code = form.querySelector('input[name="code"]');
  if (code && !code.value) code.focus();
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices) return;
  box.hidden = false;
  var video = box.querySelector("[data-scan-video]");
  var start = box.querySelector("[data-scan-start]");
  start.addEventListener("click", function () {
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: "environment" } })
      .then(function (stream) {
        video.srcObject = stream;
        video.hidden = false;
        video.play();
        var stop = function () {
          stream.getTracks().forEach(function (t) { t.stop(); });
        };
        var look = function () {
          detector.detect(video).then(function (found) {
            if (found.length) {
              stop();
              code.value = found[0].rawValue;
              form.submit();
            } else {
              window.requestAnimationFrame(look);
            }
          }, function () { window.setTimeout(look, 300); });
        };
        look();
      }, function () {
        start.disabled = true;
      });
  });
})();
