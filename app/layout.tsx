import type { Metadata } from 'next';
import Link from 'next/link';
import './globals.css';

export const metadata: Metadata = {
  title: 'EPDI Lab',
  description:
    'Li binding energies and diffusion barriers on 2D electrode surfaces from electrostatic potential images',
};

export default function RootLayout({ children }: Readonly<{ children: React.ReactNode }>) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        <header className="border-b border-slate-200 bg-white">
          <nav className="mx-auto flex max-w-6xl items-center gap-6 px-6 py-3" aria-label="Main">
            <Link href="/" className="text-lg font-semibold text-indigo-700">
              EPDI Lab
            </Link>
            <Link href="/" className="text-sm text-slate-600 hover:text-slate-900">
              Datasets
            </Link>
          </nav>
        </header>
        <main className="mx-auto max-w-6xl px-6 py-8">{children}</main>
        <footer className="mx-auto max-w-6xl px-6 pb-6 text-xs text-slate-500">
          Units: binding energies in eV on the dataset&apos;s μ<sub>Li</sub>; barriers and their σ in meV; potentials
          and MEPs are −eφ (the electrostatic potential energy of an electron) in eV, zero in the vacuum above the
          surface; lengths in Å.
        </footer>
      </body>
    </html>
  );
}
