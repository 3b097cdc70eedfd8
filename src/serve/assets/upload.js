// Drag and drop onto the upload box, and a busy button while the file is
// checked. The form works without this script.
document.addEventListener('DOMContentLoaded', function () {
  var form = document.getElementById('upload');
  if (!form) return;
  var drop = document.getElementById('drop');
  var input = document.getElementById('file');
  var chosen = document.getElementById('chosen');
  var button = form.querySelector('button');
  function show() {
    chosen.textContent = input.files.length ? '已选择：' + input.files[0].name : '';
  }
  ['dragenter', 'dragover'].forEach(function (name) {
    drop.addEventListener(name, function (e) { e.preventDefault(); drop.classList.add('over'); });
  });
  ['dragleave', 'drop'].forEach(function (name) {
    drop.addEventListener(name, function (e) { e.preventDefault(); drop.classList.remove('over'); });
  });
  drop.addEventListener('drop', function (e) {
    if (!e.dataTransfer || !e.dataTransfer.files.length) return;
    input.files = e.dataTransfer.files;
    show();
    if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
  });
  input.addEventListener('change', show);
  form.addEventListener('submit', function () {
    button.disabled = true;
    button.textContent = '正在上传并审核……';
  });
});
