/** Formats dollars for display: `$4.10`, `$1,234.56`, `<$0.01` for a positive amount under a cent. */
export function formatUsd(amount: number): string {
  if (!Number.isFinite(amount)) return '—';
  if (amount > 0 && amount < 0.005) return '<$0.01';
  const rounded = Math.round(amount * 100) / 100;
  const text = Math.abs(rounded).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return rounded < 0 ? `-$${text}` : `$${text}`;
}
