-- idpc for Neovim, without nvim-lspconfig: `*.idp` files get the filetype
-- `idp` (highlighted by syntax/idp.vim) and `idpc lsp` as their language
-- server, one per project root (the nearest directory with idpc.toml,
-- serverless.yml or .git). Works with Neovim 0.7 (vim.lsp.start_client)
-- and 0.8 and later (vim.lsp.start). See editors/neovim/README.md.
--
--   vim.opt.runtimepath:append('/path/to/idpc/editors/neovim')
--   require('idpc').setup()                      -- or setup({ cmd = { '/path/to/idpc', 'lsp' } })

local M = {}

M.defaults = {
  cmd = { 'idpc', 'lsp' },
  root_markers = { 'idpc.toml', 'serverless.yml', 'serverless.yaml', '.git' },
}

-- The nearest directory above `path` holding one of `markers`, else the file's own directory.
function M.find_root(path, markers)
  local start = vim.fn.fnamemodify(path, ':p:h')
  local dir = start
  while true do
    for _, marker in ipairs(markers) do
      if (vim.uv or vim.loop).fs_stat(dir .. '/' .. marker) then
        return dir
      end
    end
    local parent = vim.fn.fnamemodify(dir, ':h')
    if parent == dir then
      return start
    end
    dir = parent
  end
end

-- Neovim 0.7 has no vim.lsp.start: the clients started here, by root.
local clients_by_root = {}

-- Attaches buffer `bufnr` to the server of its root, starting the server if needed.
-- Returns the client id, or nil (with a message) when the command is not executable.
function M.start(bufnr, opts)
  opts = opts or M.defaults
  if vim.fn.executable(opts.cmd[1]) ~= 1 then
    vim.notify('idpc: `' .. opts.cmd[1] .. '` is not an executable; install idpc or pass setup({ cmd = ... })',
      vim.log.levels.WARN)
    return nil
  end
  local file = vim.api.nvim_buf_get_name(bufnr)
  if file == '' then
    file = vim.fn.getcwd() .. '/untitled.idp'
  end
  local root = M.find_root(file, opts.root_markers)
  local config = { name = 'idpc', cmd = opts.cmd, root_dir = root }
  if vim.lsp.start then
    return vim.lsp.start(config, { bufnr = bufnr })
  end
  local id = clients_by_root[root]
  local client = id and vim.lsp.get_client_by_id(id)
  if not client or client.is_stopped() then
    id = vim.lsp.start_client(config)
    if not id then
      return nil
    end
    clients_by_root[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
  return id
end

-- Filetype detection for *.idp and the server for every `idp` buffer.
function M.setup(opts)
  opts = vim.tbl_extend('force', M.defaults, opts or {})
  local group = vim.api.nvim_create_augroup('idpc', { clear = true })
  vim.api.nvim_create_autocmd({ 'BufRead', 'BufNewFile' }, {
    group = group,
    pattern = '*.idp',
    command = 'setfiletype idp',
  })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = 'idp',
    callback = function(args)
      vim.bo[args.buf].commentstring = '# %s'
      vim.bo[args.buf].comments = ':#'
      M.start(args.buf, opts)
    end,
  })
end

return M
