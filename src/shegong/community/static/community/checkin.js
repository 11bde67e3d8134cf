// The canteen's check-in page on a phone or tablet: a button opens the back
// camera and reads the elder's QR card, then submits its code. The browser's
// own BarcodeDetector is used where it exists (Android, macOS); elsewhere the
// vendored jsQR decodes the camera's frames. Without a camera the typed code
// (always on the page) is the way.
(function () {
  "use strict";
  var box = document.querySelector("[data-scanner]");
  var form = document.querySelector('[data-testid="check-in-form"]');
  if (!box || !form) return;
  var code = form.querySelector('input[name="code"]');
  if (code && !code.value) code.focus();
  var native = "BarcodeDetector" in window;
  if (!navigator.mediaDevices || !(native || window.jsQR)) return;
  box.hidden = false;
  var video = box.querySelector("[data-scan-video]");
  var start = box.querySelector("[data-scan-start]");
  var canvas = document.createElement("canvas");

  // One frame's QR text, or null: a promise either way.
  function reader() {
    if (native) {
      var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      return function () {
        return detector.detect(video).then(function (found) {
          return found.length ? found[0].rawValue : null;
        });
      };
    }
    var context = canvas.getContext("2d", { willReadFrequently: true });
    return function () {
      var w = video.videoWidth, h = video.videoHeight;
      if (!w || !h) return Promise.resolve(null);
      canvas.width = w;
      canvas.height = h;
      context.drawImage(video, 0, 0, w, h);
      var found = window.jsQR(context.getImageData(0, 0, w, h).data, w, h, {
        inversionAttempts: "dontInvert",
      });
      return Promise.resolve(found ? found.data : null);
    };
  }

  start.addEventListener("click", function () {
    var read = reader();
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: "environment" } })
      .then(function (stream) {
        video.srcObject = stream;
        video.hidden = false;
        video.play();
        start.disabled = true;
        var stop = function () {
          stream.getTracks().forEach(function (t) { t.stop(); });
        };
        var look = function () {
          read().then(function (text) {
            if (text) {
              stop();
              code.value = text;
              form.submit();
            } else {
              window.setTimeout(look, 150);
            }
          }, function () { window.setTimeout(look, 300); });
        };
        look();
      }, function () {
        start.disabled = true;
      });
  });
})();
