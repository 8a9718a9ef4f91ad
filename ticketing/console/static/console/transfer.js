// The transfer form (console/_transfer.html): the OPD list shows the chosen region's agencies
// only. Without JavaScript every region's agencies are listed, grouped, and the server refuses
// an OPD of another region (422).
(function () {
  "use strict";
  const region = document.getElementById("transfer-region");
  const opd = document.getElementById("transfer-opd");
  if (!region || !opd) return;
  function filter() {
    const code = region.value;
    for (const group of opd.querySelectorAll("optgroup")) {
      const mine = group.dataset.region === code;
      group.hidden = !mine;
      group.disabled = !mine;
    }
    const chosen = opd.selectedOptions[0];
    if (chosen && chosen.dataset.region && chosen.dataset.region !== code) opd.value = "";
  }
  region.addEventListener("change", filter);
  filter();
})();
