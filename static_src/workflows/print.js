// «Skriv ut» on a printable page; a file of its own because the Content-Security-Policy forbids inline handlers.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-lkt-print]")) {
    window.print();
  }
});
