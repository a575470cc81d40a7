// A brief's page: "Print" opens the browser's print dialogue (the print stylesheet lays it out on A4).
document.addEventListener("click", (event) => {
  const link = event.target.closest("[data-print]");
  if (link) {
    event.preventDefault();
    window.print();
  }
});

// Another year has other run dates: choosing it asks for that year's latest run.
document.addEventListener("change", (event) => {
  if (event.target.id === "brief-year") {
    const asOf = document.getElementById("brief-as-of");
    if (asOf) {
      asOf.value = "";
    }
  }
});
