// "Print" on a brief opens the browser's print dialogue (the page's print stylesheet lays it out on A4).
document.addEventListener("click", (event) => {
  const link = event.target.closest("[data-print]");
  if (link) {
    event.preventDefault();
    window.print();
  }
});
