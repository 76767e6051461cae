// The project as Docusaurus builds it; kbgen reads docs/ through kbgen.yml and ignores this file.
module.exports = {
  title: 'Acme Pay',
  url: 'https://docs.acme.test',
  baseUrl: '/',
  presets: [['classic', {docs: {sidebarPath: require.resolve('./sidebars.js'),
    editUrl: 'https://github.com/acme/pay-docs/edit/main/'}}]],
};
